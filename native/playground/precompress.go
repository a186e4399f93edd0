package playground

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"

	"github.com/andybalholm/brotli"
)

// brotliQuality trades build time for bytes: on main.wasm (7 MB), quality
// 6 takes about 5 s and gives 1.6 MB; 11 gives 1.4 MB but takes 90 s.
const brotliQuality = 6

// Precompress writes path.gz (gzip, best compression) and path.br (brotli)
// beside path, as make wasm does for main.wasm: the playground server
// serves them with their Content-Encoding, and a static host serves the
// .gz for the page to unpack.
func Precompress(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
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
