package command

import "sort"

func sortSpecs(s []*Spec) { sort.Slice(s, func(i, j int) bool { return s[i].Name < s[j].Name }) }
