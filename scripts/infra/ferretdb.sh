# FerretDB 1.24 (MongoDB wire protocol) on SQLite, as our own small Go program embedding FerretDB (ferretdb/main.go).
# Sourced by infra.sh.

FERRETDB_VERSION=1.24.2

ferretdb_bin() {
	local key
	key="$(cat "$INFRA_DIR/ferretdb/go.mod" "$INFRA_DIR/ferretdb/go.sum" "$INFRA_DIR/ferretdb/main.go" | sha256sum | cut -c1-12)"
	echo "$CACHE/bin/rexvet-ferretdb-$FERRETDB_VERSION-$key"
}

build_mongo() {
	local bin
	bin="$(ferretdb_bin)"
	[[ -x "$bin" ]] && return 0
	need_go
	log "mongo: building FerretDB $FERRETDB_VERSION (SQLite) into $bin (once; a few minutes on 2 cores)"
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
	launch mongo "$(ferretdb_bin)" -listen-addr "$HOST:$MONGO_PORT" -data-dir "$data" -log-level warn
}

probe_mongo() { python3 "$INFRA_DIR/probe.py" mongo "$HOST" "$MONGO_PORT"; }
ready_mongo() { wait_ready mongo 60 probe_mongo; }
describe_mongo() { echo "mongo=$HOST:$MONGO_PORT"; }
