# PostgreSQL under FerretDB 2: a private cluster of PostgreSQL 15 with the DocumentDB extension (documentdb.sh builds
# it), listening on 127.0.0.1 only, with a generated password. Started and stopped together with the `mongo` server;
# sourced by ferretdb.sh.

# 54339, not 54329: the PostgreSQL of the earlier scripts (FerretDB 1.24) used 54329, and may still run beside.
PG_PORT="${REXVET_INFRA_POSTGRES_PORT:-54339}"
PG_USER=rexvet
# pg_cron lives in one database (cron.database_name), and DocumentDB needs pg_cron in its own database.
PG_DATABASE=postgres
# The pid file's name, and the server name in logs: not `postgres`, which the earlier scripts' PostgreSQL uses.
PG_SERVER=postgres-documentdb

# shellcheck source=documentdb.sh
source "$INFRA_DIR/documentdb.sh"

need_postgres() { build_documentdb; }

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
		echo "${REXVET_INFRA_POSTGRES_DIR:-/var/tmp/rexvet-infra-documentdb-$(printf '%s' "$RUN" | sha256sum | cut -c1-12)}"
	else
		echo "$RUN/data/postgres-documentdb-root"
	fi
}

pg_password() {
	local pw_file="$RUN/postgres-documentdb.password"
	if [[ ! -s "$pw_file" ]]; then
		(umask 077 && python3 -c 'import secrets; print(secrets.token_hex(16))' >"$pw_file")
	fi
	cat "$pw_file"
}

pg_sql() {
	local database="$1"
	shift
	PGPASSWORD="$(pg_password)" PGCONNECT_TIMEOUT=3 PGOPTIONS="-c client_min_messages=warning" \
		"$(documentdb_bindir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PG_PORT" -U "$PG_USER" -d "$database" "$@"
}

start_postgres() {
	local root data bindir as
	assemble_documentdb_prefix
	root="$(pg_root)"
	data="$(data_dir "$PG_SERVER")"
	bindir="$(documentdb_bindir)"
	read -r -a as <<<"$(pg_as)"
	port_open "$PG_PORT" && die "mongo: PostgreSQL port $PG_PORT is taken by a process this script did not start (REXVET_INFRA_POSTGRES_PORT moves ours)"
	local fresh=0
	if [[ "${REXVET_INFRA_KEEP_DATA:-0}" != 1 || ! -f "$data/PG_VERSION" ]]; then
		fresh=1
		rm -rf "$root"
		mkdir -p "$root"
		chmod 700 "$root"
		local pw="$root/initdb.pw"
		pg_password >"$pw"
		if ((${#as[@]})); then chown -R postgres:postgres "$root"; fi
		"${as[@]}" "$bindir/initdb" -D "$data" -U "$PG_USER" --pwfile="$pw" --auth-host=scram-sha-256 \
			--auth-local=trust -E UTF8 \
			--locale=C.UTF-8 >"$(log_file "$PG_SERVER")" 2>&1 || {
			tail -n 20 "$(log_file "$PG_SERVER")" >&2
			die "mongo: initdb failed"
		}
		rm -f "$pw"
	fi
	# The settings FerretDB 2's documentation asks of DocumentDB. DocumentDB connects back to its own server (to build
	# indexes) without a password: through the Unix socket in the data directory, which only PostgreSQL's user (and
	# root) can enter, hence trust there and passwords on TCP. LD_LIBRARY_PATH: pg_documentdb.so links
	# pg_documentdb_core.so with a run path into the machine's PostgreSQL, where it is not (and must not be) installed.
	launch "$PG_SERVER" "${as[@]}" env LD_LIBRARY_PATH="$(documentdb_prefix)/usr/lib/postgresql/$PG_MAJOR/lib" \
		"$bindir/postgres" -D "$data" -c listen_addresses="$HOST" -p "$PG_PORT" -k "$data" \
		-c log_min_messages=warning -c shared_preload_libraries=pg_cron,pg_documentdb_core,pg_documentdb \
		-c cron.database_name="$PG_DATABASE" -c documentdb.enableCompact=true \
		-c documentdb.enableLetAndCollationForQueryMatch=true -c documentdb.enableNowSystemVariable=true \
		-c documentdb.enableSchemaValidation=true -c documentdb.enableBypassDocumentValidation=true \
		-c documentdb.enableUserCrud=true -c documentdb.localhost_connection_string="host=$data"
	wait_ready "$PG_SERVER" 60 pg_sql "$PG_DATABASE" -c 'select 1' || die "mongo: PostgreSQL did not start"
	if ((fresh)); then pg_sql "$PG_DATABASE" -c 'CREATE EXTENSION IF NOT EXISTS documentdb CASCADE' >/dev/null; fi
}

stop_postgres() { stop_one "$PG_SERVER"; }

postgres_url() { echo "postgres://$PG_USER:$(pg_password)@$HOST:$PG_PORT/$PG_DATABASE"; }
