# FerretDB 1.24 (MongoDB wire protocol), as our own small Go program embedding FerretDB (ferretdb/main.go), on
# PostgreSQL (postgres.sh; the default, as in production) or on SQLite (REXVET_INFRA_FERRETDB_HANDLER=sqlite: nothing
# but Go needed). Sourced by infra.sh.

FERRETDB_VERSION=1.24.2
FERRETDB_HANDLER="${REXVET_INFRA_FERRETDB_HANDLER:-postgresql}"

# shellcheck source=postgres.sh
source "$INFRA_DIR/postgres.sh"

check_ferretdb_handler() {
	case "$FERRETDB_HANDLER" in
	postgresql | sqlite) ;;
	*) die "REXVET_INFRA_FERRETDB_HANDLER must be postgresql or sqlite, not '$FERRETDB_HANDLER'" ;;
	esac
}

ferretdb_bin() {
	local key
	key="$(cat "$INFRA_DIR/ferretdb/go.mod" "$INFRA_DIR/ferretdb/go.sum" "$INFRA_DIR/ferretdb/main.go" | sha256sum | cut -c1-12)"
	echo "$CACHE/bin/rexvet-ferretdb-$FERRETDB_VERSION-$key"
}

build_mongo() {
	local bin
	check_ferretdb_handler
	[[ "$FERRETDB_HANDLER" == postgresql ]] && need_postgres
	bin="$(ferretdb_bin)"
	[[ -x "$bin" ]] && return 0
	need_go
	log "mongo: building FerretDB $FERRETDB_VERSION into $bin (once; a few minutes on 2 cores)"
	mkdir -p "$(dirname "$bin")"
	(cd "$INFRA_DIR/ferretdb" && go_env "$GO" build -trimpath -ldflags='-s -w' -o "$bin.tmp.$$" .) ||
		die "mongo: building FerretDB failed (is the Go module proxy reachable?)"
	mv "$bin.tmp.$$" "$bin"
}

start_mongo() {
	local data
	data="$(data_dir mongo)"
	fresh_data mongo
	port_open "$MONGO_PORT" && die "mongo: port $MONGO_PORT is taken by a process this script did not start"
	if [[ "$FERRETDB_HANDLER" == postgresql ]]; then
		our_pid postgres >/dev/null || start_postgres
		launch mongo "$(ferretdb_bin)" -listen-addr "$HOST:$MONGO_PORT" -data-dir "$data" -log-level warn \
			-handler postgresql -postgresql-url "$(postgres_url)"
	else
		launch mongo "$(ferretdb_bin)" -listen-addr "$HOST:$MONGO_PORT" -data-dir "$data" -log-level warn -handler sqlite
	fi
}

# PostgreSQL goes down with FerretDB (after it, so FerretDB's connections close first).
after_stop_mongo() { stop_one postgres; }

probe_mongo() { python3 "$INFRA_DIR/probe.py" mongo "$HOST" "$MONGO_PORT"; }
ready_mongo() { wait_ready mongo 60 probe_mongo; }
describe_mongo() {
	if [[ "$FERRETDB_HANDLER" == postgresql ]]; then
		echo "mongo=$HOST:$MONGO_PORT(postgresql:$PG_PORT)"
	else
		echo "mongo=$HOST:$MONGO_PORT(sqlite)"
	fi
}
