package playground

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"

	"github.com/andybalholm/brotli"
)

// brotliQuality is brotli's best: main.wasm is compressed once per build
// and downloaded by every visitor. On main.wasm (10 MB, scripting included)
// quality 6 gives 2.22 MB in 3 s, 9 gives 2.17 MB in 12 s, 10 gives 1.94 MB
// in 32 s and 11 gives 1.89 MB in 83 s (2 loaded cores); only 11 leaves the
// 2 MB budget a margin. Precompress skips the work when the files are
// current, so only a changed main.wasm pays it.
const brotliQuality = 11

// Precompress writes path.gz (gzip, best compression) and path.br (brotli)
// beside path, as make wasm does for main.wasm: the playground server
// serves them with their Content-Encoding, and a static host serves the
// .gz for the page to unpack.
func Precompress(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if current(path, raw) {
		return nil
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(raw); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	var br bytes.Buffer
	bw := brotli.NewWriterOptions(&br, brotli.WriterOptions{Quality: brotliQuality, LGWin: 24})
	if _, err := bw.Write(raw); err != nil {
		return err
	}
	if err := bw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(path+".gz", gz.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing %s.gz: %w", path, err)
	}
	if err := os.WriteFile(path+".br", br.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing %s.br: %w", path, err)
	}
	return nil
}

// current reports whether path.gz and path.br both unpack to raw: unpacking
// takes a fraction of a second where brotli's best takes a minute.
func current(path string, raw []byte) bool {
	unpacks := func(name string, open func(io.Reader) (io.Reader, error)) bool {
		f, err := os.Open(name)
		if err != nil {
			return false
		}
		defer f.Close()
		r, err := open(f)
		if err != nil {
			return false
		}
		got, err := io.ReadAll(r)
		return err == nil && bytes.Equal(got, raw)
	}
	gunzip := func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }
	unbrotli := func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }
	return unpacks(path+".gz", gunzip) && unpacks(path+".br", unbrotli)
}
