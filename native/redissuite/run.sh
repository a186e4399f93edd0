#!/usr/bin/env bash
# run.sh - run units of Redis's own Tcl test suite (tests/ of
# github.com/redis/redis at tag 7.0.15) with syncscope-server standing in as
# src/redis-server. `make redis-suite REDIS_SRC=<checkout>` calls it.
#
# Usage: run.sh <server-binary> [unit ...]
#   units are test files relative to tests/ without .tcl (default: $UNITS,
#   else the units issue 11 names).
#
# Each unit runs as its own `./runtest --single <unit> --durable` in its own
# process group, so a unit that aborts or hangs does not take the others down.
# It downloads nothing: the checkout must exist (git clone -b 7.0.15
# https://github.com/redis/redis) and tclsh 8.5+ be installed.
#
# Environment:
#   REDIS_DIR       the checkout (required)
#   SKIPFILE        skip list (default: skip.txt beside this script). Lines
#                   starting with '#' are the reasons for the entries below
#                   them; they and blank lines are stripped before the rest is
#                   passed as runtest --skipfile (exact test names or /regexps)
#   BASEPORT        runtest --baseport (default 31111; the harness also uses
#                   BASEPORT-32..BASEPORT-1)
#   PORTCOUNT       runtest --portcount (default 2000)
#   CLIENTS         runtest --clients (default 1)
#   UNIT_TIMEOUT    seconds per unit before its process group is killed (900)
#   HARNESS_TIMEOUT runtest --timeout (300)
#   EXTRA_ARGS      more runtest arguments, e.g. '--only /^SETRANGE'
#   KEEP_LOGS=1     runtest --dont-clean (keeps tests/tmp/server.*/stdout)
#   LOG_DIR         per-unit harness output (default <checkout>/suite-logs)
#
# Output: per unit "unit: P passed, F failed, I ignored, S skipped (T s)", the
# failed tests, and last "N passed, M failed". Exit status 0 iff M is 0.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
REDIS_DIR=${REDIS_DIR:?set REDIS_DIR (make: REDIS_SRC) to a checkout of github.com/redis/redis at tag 7.0.15}
SKIPFILE=${SKIPFILE:-$HERE/skip.txt}
BASEPORT=${BASEPORT:-31111}
PORTCOUNT=${PORTCOUNT:-2000}
CLIENTS=${CLIENTS:-1}
UNIT_TIMEOUT=${UNIT_TIMEOUT:-900}
HARNESS_TIMEOUT=${HARNESS_TIMEOUT:-300}
EXTRA_ARGS=${EXTRA_ARGS:-}
KEEP_LOGS=${KEEP_LOGS:-0}
LOG_DIR=${LOG_DIR:-$REDIS_DIR/suite-logs}

DEFAULT_UNITS="unit/type/string unit/type/incr unit/keyspace unit/type/list unit/type/hash unit/type/set \
unit/type/zset unit/expire unit/multi unit/pubsub integration/replication integration/replication-2 \
integration/replication-3 integration/replication-4 integration/replication-psync integration/psync2 \
integration/psync2-reg integration/psync2-pingoff integration/psync2-master-restart integration/block-repl \
integration/replication-buffer integration/failover unit/wait unit/pause unit/slowlog unit/info"

if [ $# -lt 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
    sed -n '2,32p' "$0"; exit 2
fi
BIN=$1; shift
UNITS=${*:-${UNITS:-$DEFAULT_UNITS}}

[ -x "$BIN" ] || { echo "not an executable: $BIN" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
[ -f "$REDIS_DIR/tests/test_helper.tcl" ] || { echo "no redis checkout at $REDIS_DIR (tests/test_helper.tcl missing)" >&2; exit 2; }
grep -q '"7.0.15"' "$REDIS_DIR/src/version.h" 2>/dev/null || echo "warning: $REDIS_DIR is not at tag 7.0.15" >&2
command -v tclsh8.6 >/dev/null || command -v tclsh8.5 >/dev/null || { echo "tclsh 8.5+ is needed (apt-get install tcl)" >&2; exit 2; }
REDIS_DIR=$(cd "$REDIS_DIR" && pwd)
mkdir -p "$LOG_DIR"

# The harness takes exact names or /regexps, one a line: drop the reasons.
SKIPS=""
if [ -n "$SKIPFILE" ]; then
    [ -f "$SKIPFILE" ] || { echo "no skip list at $SKIPFILE" >&2; exit 2; }
    SKIPS="$LOG_DIR/skipfile.txt"
    grep -v -e '^#' -e '^[[:space:]]*$' "$SKIPFILE" >"$SKIPS"
fi

cd "$REDIS_DIR" || exit 2
# runtest wipes tests/tmp when it starts and ends: two runs in one checkout
# would destroy each other's servers.
exec 9>"$REDIS_DIR/.redis-suite.lock"
flock -n 9 || { echo "another run is using $REDIS_DIR" >&2; exit 2; }

rm -f src/redis-server
cp -L "$BIN" src/redis-server && chmod +x src/redis-server || exit 2
# Some units shell out to the client tools (src/redis-cli, redis-benchmark):
# use the installed ones when the checkout was not built.
for t in redis-cli redis-benchmark redis-check-aof redis-check-rdb; do
    if [ ! -x "src/$t" ] && command -v "$t" >/dev/null; then cp -L "$(command -v "$t")" "src/$t"; fi
done

ARGS=(--durable --clients "$CLIENTS" --baseport "$BASEPORT" --portcount "$PORTCOUNT" --timeout "$HARNESS_TIMEOUT")
[ "$KEEP_LOGS" = 1 ] && ARGS+=(--dont-clean)
[ -n "$SKIPS" ] && ARGS+=(--skipfile "$SKIPS")

strip() { sed 's/\x1b\[[0-9;]*m//g' "$1"; }
count() { strip "$2" | grep -cE "$1"; }

TOTAL_OK=0; TOTAL_ERR=0; TOTAL_IGN=0; TOTAL_SKIP=0; SUMMARY=""; FAILED=""
for unit in $UNITS; do
    if [ ! -f "tests/$unit.tcl" ]; then
        line="$unit: unknown unit (no tests/$unit.tcl)"
        echo "$line"; SUMMARY="$SUMMARY$line"$'\n'; TOTAL_ERR=$((TOTAL_ERR+1)); continue
    fi
    log="$LOG_DIR/$(echo "$unit" | tr / _).log"
    start=$(date +%s)
    # shellcheck disable=SC2086
    TERM=dumb setsid ./runtest --single "$unit" "${ARGS[@]}" $EXTRA_ARGS >"$log" 2>&1 &
    pid=$!
    timed_out=0
    while kill -0 "$pid" 2>/dev/null; do
        if [ $(( $(date +%s) - start )) -ge "$UNIT_TIMEOUT" ]; then
            timed_out=1
            kill -TERM -- "-$pid" 2>/dev/null; sleep 3; kill -KILL -- "-$pid" 2>/dev/null
            break
        fi
        sleep 1
    done
    wait "$pid" 2>/dev/null
    rc=$?
    # servers the unit left behind (after an exception) go with it
    pgrep -g "$pid" >/dev/null 2>&1 && kill -KILL -- "-$pid" 2>/dev/null
    ok=$(count '^\[ok\]: ' "$log")
    err=$(count '^\[(err|exception)\]: ' "$log")
    ign=$(count '^\[ignore\]: ' "$log")
    skp=$(count '^\[skip\]: ' "$log")
    note=""
    [ "$timed_out" = 1 ] && { err=$((err+1)); note=" [unit timeout after ${UNIT_TIMEOUT}s]"; }
    strip "$log" | grep -q '^\[exception\]: ' && note="$note [exception: rest of the unit not run]"
    if [ "$rc" != 0 ] && [ "$err" = 0 ] && [ "$timed_out" = 0 ]; then err=1; note="$note [runtest exit status $rc]"; fi
    line="$unit: $ok passed, $err failed, $ign ignored, $skp skipped ($(( $(date +%s) - start ))s)$note"
    echo "$line"
    SUMMARY="$SUMMARY$line"$'\n'
    fl=$(strip "$log" | grep -E '^\[(err|exception)\]: ' | cut -c1-220)
    [ -n "$fl" ] && FAILED="$FAILED$fl"$'\n'
    TOTAL_OK=$((TOTAL_OK+ok)); TOTAL_ERR=$((TOTAL_ERR+err)); TOTAL_IGN=$((TOTAL_IGN+ign)); TOTAL_SKIP=$((TOTAL_SKIP+skp))
done

echo
echo "==== per unit ===="
printf '%s' "$SUMMARY"
[ -n "$FAILED" ] && { echo "==== failed tests ===="; printf '%s' "$FAILED"; }
echo "logs: $LOG_DIR"
echo "($TOTAL_IGN ignored by tags, $TOTAL_SKIP skipped by the skip list)"
echo "$TOTAL_OK passed, $TOTAL_ERR failed"
[ "$TOTAL_ERR" = 0 ]
