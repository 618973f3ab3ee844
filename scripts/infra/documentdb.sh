# PostgreSQL with the DocumentDB extension (and the pgvector and pg_cron it needs), the backend of FerretDB 2.
# Sourced by postgres.sh.
#
# DocumentDB, pgvector 0.8 and pg_cron 1.6 are not packaged for Debian 12, so they are built from source archives,
# once, into a staging tree in the cache (keyed by the versions and the archives' hashes). They are never installed
# into the machine's PostgreSQL: `up` assembles a private copy of the machine's PostgreSQL 15 (binaries, libraries,
# share files: PostgreSQL finds its libraries and extension files relative to its own binary) with the staged files
# laid over it, so the machine's clusters (and a FerretDB 1.24 running on them) are untouched.

DOCUMENTDB_ARCHIVE=documentdb-ae628e91.tar.gz
PGVECTOR_ARCHIVE=pgvector-0.8.0.tar.gz
PG_CRON_ARCHIVE=pg_cron-1.6.3.tar.gz
# The PostgreSQL major version DocumentDB is built for; Debian 12 ships 15.
PG_MAJOR="${REXVET_INFRA_POSTGRES_MAJOR:-15}"
# Debian packages the build (and, for rum and postgis, the running cluster) needs.
DOCUMENTDB_APT_PACKAGES=(
	"postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR" "postgresql-$PG_MAJOR-rum" "postgresql-$PG_MAJOR-postgis-3"
	libbson-dev libpcre2-dev libintelrdfpmath-dev pkg-config build-essential cmake libkrb5-dev libicu-dev
)

# Where the archives are: a setting, else ../shared/infra-src next to the repository (these machines and CI).
infra_src_dir() {
	if [[ -n "${REXVET_INFRA_SRC_DIR:-}" ]]; then
		echo "$REXVET_INFRA_SRC_DIR"
	else
		echo "$INFRA_DIR/../../../shared/infra-src"
	fi
}

need_infra_src() {
	local dir archive missing=()
	dir="$(infra_src_dir)"
	for archive in "$DOCUMENTDB_ARCHIVE" "$PGVECTOR_ARCHIVE" "$PG_CRON_ARCHIVE"; do
		[[ -f "$dir/$archive" ]] || missing+=("$archive")
	done
	((${#missing[@]} == 0)) && return 0
	die "mongo: the source archives ${missing[*]} are not in $dir. Set REXVET_INFRA_SRC_DIR to a folder holding them:
  $DOCUMENTDB_ARCHIVE  git archive --prefix=documentdb-ae628e91/ ae628e91484c17373321939339a4d961f594d2e8 of https://github.com/FerretDB/documentdb
  $PGVECTOR_ARCHIVE    git archive --prefix=pgvector-0.8.0/ v0.8.0 of https://github.com/pgvector/pgvector
  $PG_CRON_ARCHIVE     git archive --prefix=pg_cron-1.6.3/ v1.6.3 of https://github.com/citusdata/pg_cron"
}

system_pg_bindir() { echo "/usr/lib/postgresql/$PG_MAJOR/bin"; }

need_documentdb_build_tools() {
	local pkg missing=()
	for pkg in "${DOCUMENTDB_APT_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
	done
	((${#missing[@]} == 0)) && return 0
	if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
		log "mongo: installing the Debian packages DocumentDB needs (once): ${missing[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2 ||
			die "mongo: apt-get install ${missing[*]} failed"
		return 0
	fi
	die "mongo: building DocumentDB needs these Debian packages: apt-get install --no-install-recommends ${missing[*]}"
}

# The staging tree's key: what goes into it.
documentdb_key() {
	local dir
	dir="$(infra_src_dir)"
	{
		echo "pg$PG_MAJOR"
		sha256sum "$dir/$DOCUMENTDB_ARCHIVE" "$dir/$PGVECTOR_ARCHIVE" "$dir/$PG_CRON_ARCHIVE" | cut -d' ' -f1
		sed -n '/^build_documentdb_stage()/,/^}/p' "$INFRA_DIR/documentdb.sh"
	} | sha256sum | cut -c1-12
}

documentdb_stage() { echo "$CACHE/postgres-documentdb-$PG_MAJOR-$(documentdb_key)"; }

# Builds the three extensions into $stage (make install DESTDIR=...), from a scratch copy of the sources.
build_documentdb_stage() {
	local stage="$1" src pg_config jobs
	src="$(mktemp -d "$CACHE/documentdb-src.XXXXXX")"
	pg_config="$(system_pg_bindir)/pg_config"
	jobs="$(nproc 2>/dev/null || echo 2)"
	for archive in "$DOCUMENTDB_ARCHIVE" "$PGVECTOR_ARCHIVE" "$PG_CRON_ARCHIVE"; do
		tar -xzf "$(infra_src_dir)/$archive" -C "$src"
	done
	# DocumentDB links Debian's Intel decimal library through a pkg-config name Debian does not provide.
	mkdir -p "$src/pkgconfig"
	printf 'Name: intelmathlib\nDescription: Intel decimal floating point\nVersion: 2.0\nLibs: -L/usr/lib/%s -lbidgcc000\nCflags: -I/usr/include\n' \
		"$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)" >"$src/pkgconfig/intelmathlib.pc"
	(
		set -e
		export PG_CONFIG="$pg_config" PKG_CONFIG_PATH="$src/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
		cd "$src/${PGVECTOR_ARCHIVE%.tar.gz}"
		# OPTFLAGS="": no -march=native, so the build runs on any machine of the architecture.
		nice make -j"$jobs" OPTFLAGS="" && make install OPTFLAGS="" DESTDIR="$stage"
		cd "$src/${PG_CRON_ARCHIVE%.tar.gz}"
		nice make -j"$jobs" with_llvm=no && make install with_llvm=no DESTDIR="$stage"
		cd "$src/${DOCUMENTDB_ARCHIVE%.tar.gz}"
		nice make -j"$jobs" -C pg_documentdb_core with_llvm=no
		make -C pg_documentdb_core with_llvm=no install DESTDIR="$stage"
		# Debian's libbson 1.23 lacks BSON subtype 8 (sensitive); DocumentDB only needs its number.
		nice make -j"$jobs" -C pg_documentdb with_llvm=no COPT="-DBSON_SUBTYPE_SENSITIVE=0x08 -Wno-error=switch"
		make -C pg_documentdb with_llvm=no COPT="-DBSON_SUBTYPE_SENSITIVE=0x08 -Wno-error=switch" install DESTDIR="$stage"
	) >"$CACHE/documentdb-build.log" 2>&1 || {
		tail -n 30 "$CACHE/documentdb-build.log" >&2
		rm -rf "$src"
		die "mongo: building DocumentDB failed (full log: $CACHE/documentdb-build.log)"
	}
	rm -rf "$src"
}

build_documentdb() {
	local stage
	need_infra_src
	stage="$(documentdb_stage)"
	[[ -f "$stage/.complete" ]] && return 0
	need_documentdb_build_tools
	log "mongo: building DocumentDB, pgvector and pg_cron into $stage (once; a few minutes on 2 cores)"
	mkdir -p "$CACHE"
	rm -rf "$stage.tmp"
	build_documentdb_stage "$stage.tmp"
	rm -rf "$stage"
	mv "$stage.tmp" "$stage"
	touch "$stage/.complete"
}

# The private PostgreSQL: the machine's PostgreSQL files with the staged extensions over them. As root it lives
# outside root's home, because PostgreSQL runs as the `postgres` user, who cannot enter root's home.
documentdb_prefix() {
	local name
	name="postgres-documentdb-$PG_MAJOR-$(documentdb_key)"
	if [[ -n "${REXVET_INFRA_POSTGRES_PREFIX:-}" ]]; then
		echo "$REXVET_INFRA_POSTGRES_PREFIX"
	elif [[ "$(id -u)" == 0 ]]; then
		echo "/var/tmp/rexvet-infra/$name"
	else
		echo "$CACHE/$name-prefix"
	fi
}

assemble_documentdb_prefix() {
	local prefix stage
	prefix="$(documentdb_prefix)"
	stage="$(documentdb_stage)"
	[[ -f "$prefix/.complete" ]] && return 0
	rm -rf "$prefix.tmp"
	mkdir -p "$prefix.tmp/usr/lib/postgresql" "$prefix.tmp/usr/share/postgresql"
	cp -a "/usr/lib/postgresql/$PG_MAJOR" "$prefix.tmp/usr/lib/postgresql/"
	cp -a "/usr/share/postgresql/$PG_MAJOR" "$prefix.tmp/usr/share/postgresql/"
	cp -a "$stage/usr/." "$prefix.tmp/usr/"
	chmod -R a+rX "$prefix.tmp"
	rm -rf "$prefix"
	mv "$prefix.tmp" "$prefix"
	touch "$prefix/.complete"
}

documentdb_bindir() { echo "$(documentdb_prefix)/usr/lib/postgresql/$PG_MAJOR/bin"; }
