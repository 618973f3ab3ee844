# An S3-compatible server: versitygw (Apache-2.0) with its POSIX backend, built once with `go install`.
# Sourced by infra.sh.

VERSITYGW_VERSION=v1.7.0

versitygw_bin() { echo "$CACHE/bin/versitygw-$VERSITYGW_VERSION"; }

build_s3() {
	local bin
	bin="$(versitygw_bin)"
	[[ -x "$bin" ]] && return 0
	need_go
	log "s3: building versitygw $VERSITYGW_VERSION into $bin (once)"
	local gobin="$CACHE/gobin.tmp.$$"
	mkdir -p "$gobin" "$(dirname "$bin")"
	go_env GOBIN="$gobin" "$GO" install -trimpath -ldflags='-s -w' \
		"github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION" ||
		die "s3: building versitygw failed (is the Go module proxy reachable?)"
	mv "$gobin/versitygw" "$bin"
	rm -rf "$gobin"
}

start_s3() {
	local data
	data="$(data_dir s3)"
	fresh_data s3
	mkdir -p "$data/objects" "$data/meta"
	port_open "$S3_PORT" && die "s3: port $S3_PORT is taken by a process this script did not start"
	# The sidecar directory keeps object metadata in files, so the data dir needs no extended-attribute support.
	launch s3 "$(versitygw_bin)" --port "$HOST:$S3_PORT" --access "$S3_ACCESS_KEY" --secret "$S3_SECRET_KEY" \
		--region "$S3_REGION" posix --sidecar "$data/meta" "$data/objects"
}

probe_s3() { python3 "$INFRA_DIR/probe.py" http "http://$HOST:$S3_PORT/"; }
ready_s3() { wait_ready s3 60 probe_s3; }
describe_s3() { echo "s3=http://$HOST:$S3_PORT"; }
