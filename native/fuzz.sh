#!/usr/bin/env bash
# Runs every Fuzz target in the module for the given time each (default 10s).
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-10s}
# Only packages whose tests declare a Fuzz function need a test build.
dirs=$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -r -n1 dirname | sort -u)
for dir in $dirs; do
	for target in $(go test -list '^Fuzz' "$dir" | grep '^Fuzz' || true); do
		# Go 1.26's fuzzing coordinator can report its own -fuzztime deadline
		# as a failure ("context deadline exceeded", no input written) on a
		# loaded machine: go.dev/issue/75804, fixed in Go 1.27. Such a run is
		# tried again, twice at most; a real failure writes its input and fails.
		for attempt in 1 2 3; do
			echo "fuzz $dir $target ($time)"
			if out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "$time" "$dir" 2>&1); then
				echo "$out" | tail -n 1
				break
			fi
			echo "$out"
			if [ "$attempt" = 3 ] || ! grep -q 'context deadline exceeded' <<<"$out" || grep -q 'Failing input written' <<<"$out"; then
				exit 1
			fi
			echo "fuzz $dir $target: the coordinator's deadline race (go.dev/issue/75804), no input written: again"
		done
	done
done
