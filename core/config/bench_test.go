package config

import (
	"os"
	"testing"
)

func BenchmarkParseStock(b *testing.B) {
	text, err := os.ReadFile("testdata/redis.conf")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Parse(string(text), nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetAll(b *testing.B) {
	c := Default()
	b.ReportAllocs()
	for b.Loop() {
		c.Get("*")
	}
}

func BenchmarkGetOne(b *testing.B) {
	c := Default()
	b.ReportAllocs()
	for b.Loop() {
		c.Get("maxmemory")
	}
}

func BenchmarkSet(b *testing.B) {
	c := Default()
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Set("maxmemory", "100mb"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRewriteStock(b *testing.B) {
	text, err := os.ReadFile("testdata/redis.conf")
	if err != nil {
		b.Fatal(err)
	}
	c, _, err := Parse(string(text), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c.Rewrite(string(text))
	}
}
