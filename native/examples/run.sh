#!/usr/bin/env bash
# Starts the walkthrough's chain of three nodes, master <- replica <- replica
# (ports 6379 <- 6378 <- 6377 unless PORTS says otherwise), from the example
# config files beside this script, shows their logs, and stops all three
# (by PID, each saving its dump.rdb) on Ctrl-C. The master also serves the
# browser playground at $PLAYGROUND (default 127.0.0.1:8080; empty: none),
# whose page can link its nodes to the master by websocket.
set -euo pipefail
cd "$(dirname "$0")/../.."

bin=bin/syncscope-server
run=tmp/run
read -r -a ports <<<"${PORTS:-6379 6378 6377}"
playground=${PLAYGROUND-127.0.0.1:8080}
if ((${#ports[@]} != 3)); then
	echo "run.sh: PORTS needs three ports (master, replica, sub-replica), e.g. PORTS=\"7379 7378 7377\"" >&2
	exit 2
fi
confs=(6379 6378 6377)

pids=()
stop() {
	trap - EXIT INT TERM
	((${#pids[@]})) || return 0
	echo
	echo "Stopping PIDs ${pids[*]}..."
	kill -TERM "${pids[@]}" 2>/dev/null || true
	wait "${pids[@]}" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

# Each node gets its own dir (its dump.rdb, log and pidfile). The config's
# own dir must exist too: it is entered before the --dir override.
detach=()
command -v setsid >/dev/null && detach=(setsid) # keep Ctrl-C for this script
logs=()
for i in 0 1 2; do
	p=${ports[$i]}
	mkdir -p "$run/${confs[$i]}" "$run/$p"
	args=("native/examples/${confs[$i]}.conf" --port "$p" --dir "$PWD/$run/$p" --logfile "$p.log" --pidfile "$p.pid")
	if ((i > 0)); then
		args+=(--replicaof 127.0.0.1 "${ports[$((i - 1))]}")
	elif [ -n "$playground" ]; then
		args+=(--playground "$playground")
	fi
	"${detach[@]}" "$bin" "${args[@]}" &
	pids+=($!)
	logs+=("$run/$p/$p.log")
	for _ in $(seq 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then break; fi
		if ! kill -0 "${pids[-1]}" 2>/dev/null; then
			echo "run.sh: the node on port $p exited; its log:" >&2
			cat "$run/$p/$p.log" >&2 || true
			exit 1
		fi
		sleep 0.1
	done
done

m=${ports[0]} r=${ports[1]} s=${ports[2]}
pg=""
[ -z "$playground" ] || pg="The playground: http://$playground/ (its \"A native node\" step replicates from $m).
"
cat <<MSG

syncscope: master $m <- replica $r <- replica $s (PIDs ${pids[*]}); data and logs in $run/<port>/.
${pg}Try, in another terminal:

  redis-cli -p $m set name redis          # write on the master
  redis-cli -p $r get name                # "redis" on the replica
  redis-cli -p $s get name                # "redis" on the replica's replica
  redis-cli -p $r set name redis-cli      # READONLY error: replicas are read-only
  redis-cli -p $m info replication        # connected_slaves, offsets
  redis-cli -p $r shutdown                # $s keeps retrying, still serves reads
  redis-cli -p $r config set replica-read-only no

To start $r again after its shutdown (it continues by partial resync):

  $bin native/examples/6378.conf --port $r --dir $PWD/$run/$r --logfile $r.log --pidfile $r.pid --replicaof 127.0.0.1 $m &

Ctrl-C stops all three (each saves its dump.rdb). The logs follow.

MSG
tail -n +1 -F "${logs[@]}" &
pids+=($!)
wait "${pids[@]}"
