#!/usr/bin/env bash
# Local Kafka, FerretDB 2 (on PostgreSQL with DocumentDB) and an S3 server on 127.0.0.1, without containers.
#
#   infra.sh up [kafka|mongo|s3 ...]     build once (cached), start what is not running, wait until ready
#   infra.sh down [kafka|mongo|s3 ...]   stop only the processes this script started (by pid file)
#   infra.sh status [kafka|mongo|s3 ...] what runs, where, and whether it answers (exit 1 unless all do)
#   infra.sh env [--use]                 the settings that reach these servers (eval "$(infra.sh env --use)")
#   infra.sh build                       only build / download into the cache
#   infra.sh logs [kafka|mongo|s3]       tail the servers' logs
#   infra.sh psql [psql args]            psql on the PostgreSQL database under FerretDB
#   infra.sh restart-postgres            stop and start the PostgreSQL under a running FerretDB, on its data (faults)
#
# The builds and downloads are cached outside the repository in $REXVET_INFRA_CACHE (default ~/.cache/rexvet/infra),
# keyed by version and by the hash of the build inputs in this folder, so a warm `up` only starts processes.
# Data, logs and pid files live in $REXVET_INFRA_RUN (default $REXVET_INFRA_CACHE/run). Each `up` that starts a
# server starts it on empty data, which is what tests want; REXVET_INFRA_KEEP_DATA=1 keeps the previous data.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# A CI runner may start us without HOME; the cache (and Go's and Maven's) still belong in the user's home.
if [[ -z "${HOME:-}" ]]; then
	HOME="$(getent passwd "$(id -u)" | cut -d: -f6)"
	export HOME
fi
CACHE="${REXVET_INFRA_CACHE:-$HOME/.cache/rexvet/infra}"
RUN="${REXVET_INFRA_RUN:-$CACHE/run}"
HOST=127.0.0.1

KAFKA_PORT="${REXVET_INFRA_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${REXVET_INFRA_KAFKA_CONTROLLER_PORT:-9093}"
MONGO_PORT="${REXVET_INFRA_MONGO_PORT:-27017}"
S3_PORT="${REXVET_INFRA_S3_PORT:-9000}"
# Development-only credentials of the local S3 server; nothing outside this machine ever sees them.
S3_ACCESS_KEY="${REXVET_INFRA_S3_ACCESS_KEY:-rexvet-local}"
S3_SECRET_KEY="${REXVET_INFRA_S3_SECRET_KEY:-rexvet-local-secret}"
S3_REGION=us-east-1

ALL_SERVICES=(kafka mongo s3)

log() { printf '[infra] %s\n' "$*" >&2; }
die() {
	printf '[infra] error: %s\n' "$*" >&2
	exit 1
}

# --- toolchains: only needed on a cold cache -------------------------------------------------------------------------

need_java() {
	command -v java >/dev/null 2>&1 ||
		die "java not found: install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)"
}
need_mvn() {
	command -v mvn >/dev/null 2>&1 ||
		die "mvn not found: install Apache Maven to fetch the Kafka jars once (Debian: apt-get install maven)"
}
need_go() {
	local go_bin
	go_bin="$(command -v go || true)"
	[[ -z "$go_bin" && -x /usr/local/go/bin/go ]] && go_bin=/usr/local/go/bin/go
	[[ -n "$go_bin" ]] ||
		die "go not found: install Go 1.24 or newer (https://go.dev/doc/install) to build FerretDB and versitygw once"
	GO="$go_bin"
	local minor
	minor="$("$GO" env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
	[[ "$minor" =~ ^[0-9]+$ && "$minor" -ge 24 ]] || die "$("$GO" env GOVERSION) is too old: install Go 1.24 or newer"
}
need_python() {
	command -v python3 >/dev/null 2>&1 || die "python3 not found: the readiness probes need Python 3"
}

# Builds from the Go module proxy only, with this machine's toolchain (no toolchain download).
go_env() { env GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0 "$@"; }

# --- processes -------------------------------------------------------------------------------------------------------

# FerretDB's pid file is ferretdb.pid, not mongo.pid: that one belongs to the FerretDB 1.24 of earlier scripts.
pid_file() { if [[ "$1" == mongo ]]; then echo "$RUN/ferretdb.pid"; else echo "$RUN/$1.pid"; fi; }
log_file() { echo "$RUN/$1.log"; }
data_dir() {
	case "$1" in
	postgres-documentdb) echo "$(pg_root)/data" ;; # see postgres.sh: PostgreSQL may need a directory outside $RUN
	mongo) echo "$RUN/data/ferretdb-$FERRETDB_VERSION" ;;
	*) echo "$RUN/data/$1" ;;
	esac
}

# Our process is the pid in the pid file AND its command line still names our data dir, so a recycled pid is never
# mistaken for ours (and never killed).
our_pid() {
	local name="$1" pf pid
	pf="$(pid_file "$name")"
	[[ -f "$pf" ]] || return 1
	pid="$(cat "$pf")"
	[[ "$pid" =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	# Read whole, then matched: `tr | grep -q` under pipefail fails when grep stops reading before tr is done.
	local cmdline
	cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
	[[ "$cmdline" == *"$(data_dir "$name")"* ]] || return 1
	echo "$pid"
}

port_open() { python3 "$INFRA_DIR/probe.py" tcp "$HOST" "$1"; }

# Starts "$@" detached in its own session, stdout+stderr to the service log, and records the pid.
launch() {
	local name="$1"
	shift
	local lf
	lf="$(log_file "$name")"
	: >"$lf"
	# 9>&- : the server must not inherit the lock of with_lock(), or the lock would live as long as the server.
	setsid "$@" >>"$lf" 2>&1 </dev/null 9>&- &
	echo $! >"$(pid_file "$name")"
}

stop_one() {
	local name="$1" pid i signal=TERM
	# PostgreSQL's SIGTERM waits for every client to leave; SIGINT is its fast, still clean, shutdown.
	[[ "$name" == postgres* ]] && signal=INT
	if ! pid="$(our_pid "$name")"; then
		rm -f "$(pid_file "$name")"
		log "$name: not running (nothing of ours to stop)"
		return 0
	fi
	kill "-$signal" "$pid" 2>/dev/null || true
	for ((i = 0; i < 150; i++)); do # 15 s for a clean shutdown, then SIGKILL
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "$name: pid $pid did not stop within 15 s; sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
		sleep 0.2
	fi
	rm -f "$(pid_file "$name")"
	log "$name: stopped (pid $pid)"
}

# Waits up to 15 s for a pid to end, then kills it.
wait_gone() {
	local pid="$1" i
	for ((i = 0; i < 150; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	log "pid $pid did not stop within 15 s; sending SIGKILL"
	kill -KILL "$pid" 2>/dev/null || true
}

# wait_ready NAME TIMEOUT_S CHECK...: polls CHECK until it succeeds; on failure or early exit shows the log.
wait_ready() {
	local name="$1" timeout="$2"
	shift 2
	local deadline=$((SECONDS + timeout))
	while ((SECONDS < deadline)); do
		# Only a pid that is gone has exited: right after launch the process may be between two execs (setsid, setpriv,
		# env, the server), when its command line reads empty and our_pid cannot recognise it (seen under load).
		if ! our_pid "$name" >/dev/null && ! kill -0 "$(cat "$(pid_file "$name")" 2>/dev/null || echo x)" 2>/dev/null; then
			log "$name exited during start; last lines of $(log_file "$name"):"
			tail -n 40 "$(log_file "$name")" >&2 || true
			return 1
		fi
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.2
	done
	log "$name not ready after ${timeout}s; last lines of $(log_file "$name"):"
	tail -n 40 "$(log_file "$name")" >&2 || true
	return 1
}

fresh_data() {
	local dir
	dir="$(data_dir "$1")"
	if [[ "${REXVET_INFRA_KEEP_DATA:-0}" != 1 ]]; then
		rm -rf "$dir"
	fi
	mkdir -p "$dir"
}

# --- the servers -----------------------------------------------------------------------------------------------------

# shellcheck source=kafka.sh
source "$INFRA_DIR/kafka.sh"
# shellcheck source=ferretdb.sh
source "$INFRA_DIR/ferretdb.sh"
# shellcheck source=s3.sh
source "$INFRA_DIR/s3.sh"

# Stops a server and what it brought along (PostgreSQL under FerretDB).
stop_server() {
	stop_one "$1"
	if declare -F "after_stop_$1" >/dev/null; then "after_stop_$1"; fi
}

# --- commands --------------------------------------------------------------------------------------------------------

services_from_args() {
	if (($# == 0)); then
		echo "${ALL_SERVICES[@]}"
		return
	fi
	local s
	for s in "$@"; do
		case "$s" in
		kafka | mongo | s3) echo "$s" ;;
		*) die "unknown server '$s' (expected: kafka, mongo, s3)" ;;
		esac
	done
}

cmd_build() {
	local s
	for s in $(services_from_args "$@"); do "build_$s"; done
}

cmd_up() {
	local started=() s t0=$SECONDS
	need_python
	mkdir -p "$RUN"
	for s in $(services_from_args "$@"); do "build_$s"; done
	for s in $(services_from_args "$@"); do
		if pid="$(our_pid "$s")"; then
			log "$s: already running (pid $pid)"
			continue
		fi
		rm -f "$(pid_file "$s")"
		"start_$s"
		started+=("$s")
	done
	local failed=0
	for s in "${started[@]}"; do
		if "ready_$s"; then
			log "$s: ready"
		else
			failed=1
		fi
	done
	if ((failed)); then
		# Leave nothing half-started behind: a failed `up` stops what it started.
		for s in "${started[@]}"; do stop_server "$s"; done
		die "start failed (see the log lines above; logs in $RUN)"
	fi
	log "up in $((SECONDS - t0))s: $(for s in $(services_from_args "$@"); do printf '%s ' "$(describe_$s)"; done)"
}

cmd_down() {
	local s
	mkdir -p "$RUN"
	for s in $(services_from_args "$@"); do stop_server "$s"; done
}

cmd_status() {
	local s pid state rc=0
	need_python
	for s in $(services_from_args "$@"); do
		if pid="$(our_pid "$s")"; then
			if "probe_$s" >/dev/null 2>&1; then state="running, ready (pid $pid)"; else
				state="running, NOT answering (pid $pid)"
				rc=1
			fi
		else
			state="stopped"
			rc=1
		fi
		printf '%-6s %-50s %s\n' "$s" "$(describe_$s)" "$state"
	done
	return $rc
}

# The variables of rexvet_common.settings.PlatformSettings that point the real adapters at these servers. With
# --use it also selects the real backends, so that `eval "$(infra.sh env --use)"; make run` runs on them.
cmd_env() {
	cat <<EOF
export REXVET_KAFKA_BOOTSTRAP_SERVERS=$HOST:$KAFKA_PORT
export REXVET_MONGO_URL=mongodb://$HOST:$MONGO_PORT/
export REXVET_S3_ENDPOINT=$HOST:$S3_PORT
export REXVET_S3_SECURE=false
export REXVET_S3_ACCESS_KEY=$S3_ACCESS_KEY
export REXVET_S3_SECRET_KEY=$S3_SECRET_KEY
export REXVET_S3_REGION=$S3_REGION
EOF
	if [[ "${1:-}" == --use ]]; then
		printf 'export REXVET_BUS=kafka\nexport REXVET_DOCUMENTS=mongo\nexport REXVET_BLOBS=s3\n'
	fi
}

# What a managed PostgreSQL's restart or failover looks like to FerretDB: it stays up and answers errors meanwhile.
cmd_restart_postgres() {
	our_pid mongo >/dev/null || die "mongo is not running: restart-postgres restarts the PostgreSQL under a running FerretDB"
	stop_postgres
	REXVET_INFRA_KEEP_DATA=1 start_postgres
	log "$PG_SERVER: restarted on port $PG_PORT"
}

cmd_logs() {
	local s
	for s in $(services_from_args "$@"); do
		echo "==> $(log_file "$s") <=="
		tail -n 30 "$(log_file "$s")" 2>/dev/null || echo "(no log)"
	done
}

# up and down take a lock so that two callers (two terminals, make test while an engineer runs up) do not race.
with_lock() {
	mkdir -p "$RUN"
	exec 9>"$RUN/infra.lock"
	flock -w 600 9 || die "another infra.sh holds $RUN/infra.lock"
	"$@"
}

main() {
	local cmd="${1:-}"
	shift || true
	if [[ "$cmd" != env && "$cmd" != psql && "$cmd" != restart-postgres ]]; then
		services_from_args "$@" >/dev/null # refuses an unknown name here, not in a subshell that would swallow it
	fi
	case "$cmd" in
	up) with_lock cmd_up "$@" ;;
	down) with_lock cmd_down "$@" ;;
	build) with_lock cmd_build "$@" ;;
	status) cmd_status "$@" ;;
	env) cmd_env "$@" ;;
	logs) cmd_logs "$@" ;;
	psql) pg_sql "$PG_DATABASE" "$@" ;;
	restart-postgres) with_lock cmd_restart_postgres ;;
	*)
		sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
		exit 2
		;;
	esac
}

main "$@"
