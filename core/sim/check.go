package sim

import "github.com/syncscope/syncscope/core/node"

type checker struct{}

type callTag struct{}

func (k *checker) ready(h *host, rd *node.Ready)            {}
func (k *checker) delivered(p *pipe, side int, data []byte) {}
func (k *checker) replied(c *Call)                          {}
