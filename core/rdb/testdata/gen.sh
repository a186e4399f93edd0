#!/bin/sh
# Regenerates the Redis-written fixtures: starts redis-server 7.0.15 on ports
# 7201-7203, fills it with fixtureDataset (fixture_test.go) through
# redis-cli --pipe, SAVEs with rdbcompression yes and no, and SAVEs on a
# replica (whose RDB carries repl-id/repl-offset). Also rewrites expected.json.
# Run from anywhere: sh core/rdb/testdata/gen.sh
set -eu
cd "$(dirname "$0")/.."
[ "$(redis-server --version | sed 's/.*v=\([0-9.]*\).*/\1/')" = 7.0.15 ] || { echo "need redis-server 7.0.15" >&2; exit 1; }
tmp=$(mktemp -d)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

go test -count=1 -run '^TestWriteFixtureInputs$' . -args \
	-fixture-cmds="$tmp/cmds.resp" -fixture-expect="$PWD/testdata/expected.json" >/dev/null

start() { # port dir extra-args...
	port=$1 dir=$2; shift 2
	mkdir -p "$dir"
	redis-server --port "$port" --save '' --bind 127.0.0.1 --daemonize no --dir "$dir" "$@" >"$dir/log" 2>&1 &
	pids="$pids $!"
	until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.05; done
}

for mode in yes no; do
	port=7201; [ $mode = no ] && port=7202
	start $port "$tmp/$mode" --rdbcompression $mode
	redis-cli -p $port --pipe <"$tmp/cmds.resp" >/dev/null
	redis-cli -p $port save >/dev/null
	name=compressed; [ $mode = no ] && name=uncompressed
	cp "$tmp/$mode/dump.rdb" "testdata/redis-7.0.15-$name.rdb"
done

# A replica of the compressed server: its SAVE records the replication state.
start 7203 "$tmp/replica" --replicaof 127.0.0.1 7201
until redis-cli -p 7203 info replication | grep -q 'master_link_status:up'; do sleep 0.1; done
until [ "$(redis-cli -p 7203 dbsize)" = "$(redis-cli -p 7201 dbsize)" ]; do sleep 0.1; done
redis-cli -p 7203 save >/dev/null
cp "$tmp/replica/dump.rdb" testdata/redis-7.0.15-replica.rdb
ls -l testdata/*.rdb testdata/expected.json
