// Command precompress writes FILE.gz and FILE.br beside each FILE named
// (make wasm runs it on site/static/main.wasm), and prints their sizes.
package main

import (
	"fmt"
	"os"

	"github.com/syncscope/syncscope/native/playground"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: precompress FILE...")
		os.Exit(2)
	}
	for _, path := range os.Args[1:] {
		if err := playground.Precompress(path); err != nil {
			fmt.Fprintln(os.Stderr, "precompress:", err)
			os.Exit(1)
		}
		for _, p := range []string{path, path + ".gz", path + ".br"} {
			st, err := os.Stat(p)
			if err != nil {
				fmt.Fprintln(os.Stderr, "precompress:", err)
				os.Exit(1)
			}
			fmt.Printf("%s: %d bytes\n", p, st.Size())
		}
	}
}
