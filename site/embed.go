// Package site is the playground's web page: site/static holds the
// committed HTML, CSS and ES modules, plus the generated main.wasm and
// wasm_exec.js (make wasm) that are not committed.
package site

import (
	"embed"
	"io/fs"
)

// Embedding the directory, not main.wasm by name, keeps `go build ./...`
// working in a fresh clone before the wasm is built.
//
//go:embed static
var static embed.FS

// FS returns the page's files, rooted at the directory holding index.html.
func FS() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // "static" is a valid path: fs.Sub cannot fail on it
	}
	return sub
}
