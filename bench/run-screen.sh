#!/bin/sh
# run-screen.sh - runs bench-screen with a throwaway PostgreSQL cluster for the pg_trgm baseline.
#
# Usage: bench/run-screen.sh [BUILDDIR] [bench-screen options...]
# (from the repository root; BUILDDIR defaults to build). Creates a
# temporary cluster (initdb as the postgres user, trust authentication, Unix
# socket only, no TCP), runs BUILDDIR/bench/bench-screen --pg against it,
# then stops the cluster and removes it, whatever happens. Without a
# PostgreSQL server installed the bench runs without the pg_trgm rows.
set -eu

builddir=build
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
	builddir=$1
	shift
fi
bench="./$builddir/bench/bench-screen"
if [ ! -x "$bench" ]; then
	echo "run-screen.sh: $bench not found: build first (ninja -C $builddir)" >&2
	exit 1
fi

pgbin=""
for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/initdb" ] && pgbin=$d
done
if [ -z "$pgbin" ]; then
	echo "run-screen.sh: PostgreSQL server not installed (Debian: apt-get install" \
	     "postgresql postgresql-contrib): running without the pg_trgm baseline" >&2
	exec "$bench" "$@"
fi
if ! id postgres >/dev/null 2>&1; then
	echo "run-screen.sh: no postgres user: running without the pg_trgm baseline" >&2
	exec "$bench" "$@"
fi

# As the postgres user when we are root; as ourselves otherwise.
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	elif [ "$(id -un)" = postgres ]; then
		"$@"
	else
		sudo -u postgres -- "$@"
	fi
}

# /tmp is world-traversable, so the postgres user reaches the directory.
dir=$(mktemp -d /tmp/eg-bench-pg.XXXXXX)
chmod 0755 "$dir"
started=0
cleanup() {
	if [ "$started" -eq 1 ]; then
		as_pg "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

chown postgres "$dir"
as_pg "$pgbin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
	>"$dir/initdb.log" 2>&1 || {
	cat "$dir/initdb.log" >&2
	exit 1
}
# jit off: JIT compilation of a 10-row query only adds latency; the
# baseline gets PostgreSQL at its best for this workload.
as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
	-o "-k $dir -c listen_addresses='' -c jit=off -c shared_buffers=256MB" -w start >/dev/null
started=1
as_pg "$pgbin/psql" -h "$dir" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
	-c "CREATE DATABASE egbench" -c "\\c egbench" -c "CREATE EXTENSION pg_trgm"

"$bench" --pg "host=$dir dbname=egbench user=postgres" "$@"
