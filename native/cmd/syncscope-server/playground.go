package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/syncscope/syncscope/native/playground"
	"github.com/syncscope/syncscope/site"
)

// playgroundFlag is syncscope's own option (not a Redis directive): serve
// the browser playground at this address, with a websocket link to this
// process's node.
const playgroundFlag = "--playground"

// takePlayground removes "--playground ADDR" from args and returns ADDR.
func takePlayground(args []string) (rest []string, addr string, err error) {
	for i := 0; i < len(args); i++ {
		if args[i] != playgroundFlag {
			rest = append(rest, args[i])
			continue
		}
		if i+1 >= len(args) || args[i+1] == "" {
			return nil, "", fmt.Errorf("%s needs an address, e.g. %s 127.0.0.1:8080", playgroundFlag, playgroundFlag)
		}
		addr = args[i+1]
		i++
	}
	return rest, addr, nil
}

// listenPlayground opens the playground's address before the node starts,
// so a busy port fails the start rather than half of it.
func listenPlayground(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("syncscope-server: %s %s: %w", playgroundFlag, addr, err)
	}
	return ln, nil
}

// servePlayground serves the page on ln, linking the page to our node on port.
func servePlayground(ln net.Listener, port int, stdout io.Writer) {
	fmt.Fprintf(stdout, "syncscope playground: http://%s/ (websocket link to the node on port %d)\n", ln.Addr(), port)
	go func() {
		err := playground.Serve(context.Background(), ln, playground.Options{Site: site.FS(), Nodes: []int{port}})
		if err != nil && !errors.Is(err, net.ErrClosed) { // closed: the server is exiting
			fmt.Fprintf(stdout, "syncscope playground stopped: %v\n", err)
		}
	}()
}
