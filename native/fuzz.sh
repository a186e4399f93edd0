#!/usr/bin/env bash
# Runs every Fuzz target in the module for the given time each (default 10s).
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-10s}
# Only packages whose tests declare a Fuzz function need a test build.
dirs=$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -r -n1 dirname | sort -u)
for dir in $dirs; do
	for target in $(go test -list '^Fuzz' "$dir" | grep '^Fuzz' || true); do
		echo "fuzz $dir $target ($time)"
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$time" "$dir"
	done
done
