# FerretDB 2 (MongoDB wire protocol, Apache-2.0) on PostgreSQL with the DocumentDB extension (postgres.sh), as in
# production. Sourced by infra.sh.
#
# Why 2.x: FerretDB 1.x runs a `replace_one` filtered on `_id` and a version as a read followed by an update (FerretDB
# #3040), so compare-and-swap loses updates there; on DocumentDB it is one atomic statement.

FERRETDB_VERSION=2.7.0

# shellcheck source=postgres.sh
source "$INFRA_DIR/postgres.sh"

ferretdb_bin() { echo "$CACHE/bin/ferretdb-$FERRETDB_VERSION/ferretdb"; }

build_mongo() {
	local bin dir
	need_postgres
	bin="$(ferretdb_bin)"
	[[ -x "$bin" ]] && return 0
	need_go
	dir="$(dirname "$bin")"
	log "mongo: building FerretDB $FERRETDB_VERSION into $bin (once; a minute or two on 2 cores)"
	rm -rf "$dir.tmp.$$"
	mkdir -p "$dir.tmp.$$"
	go_env GOBIN="$dir.tmp.$$" "$GO" install -trimpath -ldflags='-s -w' \
		"github.com/FerretDB/FerretDB/v2/cmd/ferretdb@v$FERRETDB_VERSION" ||
		die "mongo: building FerretDB failed (is the Go module proxy reachable?)"
	rm -rf "$dir"
	mv "$dir.tmp.$$" "$dir"
}

# The earlier scripts ran FerretDB 1.24 under the pid files mongo.pid and postgres.pid of the same run directory. Ours
# are ferretdb.pid and postgres-documentdb.pid, so neither is taken for the other; these find an old one still
# running, so that `up` can say what holds the port and `down` can stop it.
legacy_pid() {
	local name="$1" marker="$2" pf pid
	pf="$RUN/$name.pid"
	[[ -f "$pf" ]] || return 1
	pid="$(cat "$pf")"
	[[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker" || return 1
	echo "$pid"
}
legacy_ferretdb_pid() { legacy_pid mongo rexvet-ferretdb-1.; }
legacy_postgres_pid() { legacy_pid postgres plan_cache_mode=force_custom_plan; }

start_mongo() {
	local data url_file legacy
	data="$(data_dir mongo)"
	fresh_data mongo
	if port_open "$MONGO_PORT"; then
		if legacy="$(legacy_ferretdb_pid)"; then
			die "mongo: port $MONGO_PORT is held by FerretDB 1.24 of the earlier infra scripts (pid $legacy); \`infra.sh down mongo\` stops it (and its PostgreSQL), or REXVET_INFRA_MONGO_PORT moves ours"
		fi
		die "mongo: port $MONGO_PORT is taken by a process this script did not start (REXVET_INFRA_MONGO_PORT moves ours)"
	fi
	our_pid "$PG_SERVER" >/dev/null || start_postgres
	# The URL holds the password: in a file only we can read, not on a command line that `ps` shows.
	url_file="$RUN/ferretdb-postgresql.url"
	(umask 077 && postgres_url >"$url_file")
	launch mongo "$(ferretdb_bin)" --listen-addr="$HOST:$MONGO_PORT" --postgresql-url-file="$url_file" \
		--state-dir="$data" --no-auth --debug-addr=- --telemetry=disable --log-level=WARN
}

# PostgreSQL goes down with FerretDB (after it, so FerretDB's connections close first); so does a FerretDB 1.24 of
# the earlier scripts and its PostgreSQL, if one still runs.
after_stop_mongo() {
	local pid
	stop_postgres
	if pid="$(legacy_ferretdb_pid)"; then
		log "mongo: stopping FerretDB 1.24 of the earlier infra scripts (pid $pid)"
		kill -TERM "$pid" 2>/dev/null || true
		wait_gone "$pid"
		rm -f "$RUN/mongo.pid"
	fi
	if pid="$(legacy_postgres_pid)"; then
		log "mongo: stopping the PostgreSQL of the earlier infra scripts (pid $pid)"
		kill -INT "$pid" 2>/dev/null || true
		wait_gone "$pid"
		rm -f "$RUN/postgres.pid"
	fi
}

probe_mongo() { python3 "$INFRA_DIR/probe.py" mongo "$HOST" "$MONGO_PORT"; }
ready_mongo() { wait_ready mongo 60 probe_mongo; }
describe_mongo() {
	local legacy="" pid
	if pid="$(legacy_ferretdb_pid)"; then legacy=" [FerretDB 1.24 of the earlier scripts still runs: pid $pid]"; fi
	echo "mongo=$HOST:$MONGO_PORT(FerretDB $FERRETDB_VERSION, postgresql:$PG_PORT)$legacy"
}
