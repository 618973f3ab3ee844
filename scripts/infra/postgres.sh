# PostgreSQL under FerretDB: the backend that production uses (FerretDB on CloudNativePG), from the machine's Debian
# packages. Started and stopped together with the `mongo` server; sourced by infra.sh.

PG_PORT="${REXVET_INFRA_POSTGRES_PORT:-54329}"
PG_USER=rexvet
PG_DATABASE=ferretdb
# One file for here and for production: kustomize reads files only below its own folder, so it lives there.
PG_INDEXES_SQL="$INFRA_DIR/../../deploy/k8s/backing/postgres/ferretdb-indexes.sql"

# The newest Debian cluster binaries, else whatever `postgres` is on PATH.
pg_bindir() {
	local dir
	dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
	if [[ -n "$dir" && -x "$dir/postgres" && -x "$dir/initdb" ]]; then
		echo "$dir"
		return 0
	fi
	dir="$(dirname "$(command -v postgres 2>/dev/null || echo /nonexistent/postgres)")"
	[[ -x "$dir/postgres" && -x "$dir/initdb" ]] && echo "$dir"
}

need_postgres() {
	[[ -n "$(pg_bindir)" ]] && return 0
	if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
		log "mongo: PostgreSQL not found; installing Debian's postgresql package (once)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2 ||
			die "mongo: apt-get install postgresql failed"
	fi
	[[ -n "$(pg_bindir)" ]] ||
		die "postgres not found: install PostgreSQL 15+ (Debian: apt-get install postgresql), or run FerretDB on SQLite with REXVET_INFRA_FERRETDB_HANDLER=sqlite"
	command -v psql >/dev/null 2>&1 || [[ -x "$(pg_bindir)/psql" ]] || die "psql not found: install postgresql-client"
}

# PostgreSQL refuses to run as root. As root we run it as the `postgres` system user (Debian's package makes one), in a
# directory that user can reach; the run directory under root's home is not one.
pg_as() {
	if [[ "$(id -u)" == 0 ]]; then
		getent passwd postgres >/dev/null || die "running as root needs a 'postgres' user to run PostgreSQL as"
		echo setpriv --reuid=postgres --regid=postgres --init-groups
	fi
}

pg_root() {
	if [[ "$(id -u)" == 0 ]]; then
		# One directory per run directory, so isolated runs (tests with their own REXVET_INFRA_RUN) never share one.
		echo "${REXVET_INFRA_POSTGRES_DIR:-/var/tmp/rexvet-infra-postgres-$(printf '%s' "$RUN" | sha256sum | cut -c1-12)}"
	else
		echo "$RUN/data/postgres-root"
	fi
}

pg_password() {
	local pw_file="$RUN/postgres.password"
	if [[ ! -s "$pw_file" ]]; then
		(umask 077 && python3 -c 'import secrets; print(secrets.token_hex(16))' >"$pw_file")
	fi
	cat "$pw_file"
}

psql_bin() { if [[ -x "$(pg_bindir)/psql" ]]; then echo "$(pg_bindir)/psql"; else command -v psql; fi; }

pg_sql() {
	local database="$1"
	shift
	PGPASSWORD="$(pg_password)" PGCONNECT_TIMEOUT=3 PGOPTIONS="-c client_min_messages=warning" "$(psql_bin)" -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PG_PORT" \
		-U "$PG_USER" -d "$database" "$@"
}

start_postgres() {
	local root data bindir as
	root="$(pg_root)"
	data="$(data_dir postgres)"
	bindir="$(pg_bindir)"
	read -r -a as <<<"$(pg_as)"
	port_open "$PG_PORT" && die "mongo: PostgreSQL port $PG_PORT is taken by a process this script did not start"
	if [[ "${REXVET_INFRA_KEEP_DATA:-0}" != 1 || ! -f "$data/PG_VERSION" ]]; then
		rm -rf "$root"
		mkdir -p "$root"
		chmod 700 "$root"
		local pw="$root/initdb.pw"
		pg_password >"$pw"
		if ((${#as[@]})); then chown -R postgres:postgres "$root"; fi
		"${as[@]}" "$bindir/initdb" -D "$data" -U "$PG_USER" --pwfile="$pw" --auth=scram-sha-256 -E UTF8 \
			--locale=C.UTF-8 >"$(log_file postgres)" 2>&1 || {
			tail -n 20 "$(log_file postgres)" >&2
			die "mongo: initdb failed"
		}
		rm -f "$pw"
	fi
	# force_custom_plan: FerretDB sends the field name as a parameter (`_jsonb->$1 @> $2`); only a custom plan sees the
	# literal and can match the expression indexes of ferretdb-indexes.sql.
	launch postgres "${as[@]}" "$bindir/postgres" -D "$data" -c listen_addresses="$HOST" -p "$PG_PORT" -k "$data" \
		-c plan_cache_mode=force_custom_plan -c log_min_messages=warning
	wait_ready postgres 60 pg_sql postgres -c 'select 1' || die "mongo: PostgreSQL did not start"
	if [[ "$(pg_sql postgres -tA -c "select count(*) from pg_database where datname = '$PG_DATABASE'")" != 1 ]]; then
		pg_sql postgres -c "CREATE DATABASE $PG_DATABASE"
	fi
	pg_sql "$PG_DATABASE" -f "$PG_INDEXES_SQL" >/dev/null
}

postgres_url() { echo "postgres://$PG_USER:$(pg_password)@$HOST:$PG_PORT/$PG_DATABASE"; }
