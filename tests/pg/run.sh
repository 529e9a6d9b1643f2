#!/usr/bin/env bash
# Runs a command against a real, throwaway PostgreSQL: initdb in a new
# temporary directory, a server listening only on a Unix socket in that
# directory (listen_addresses = '', trust authentication for the local
# user "exportgate"), the command run with EG_TEST_PG_URI naming its
# database, then the server stopped and the directory removed, whatever
# happened (trap). A server that cannot be started fails the run (exit 97),
# loudly: nothing is skipped.
# Usage: tests/pg/run.sh COMMAND [ARGS...]
# As root, the server runs as the `postgres` user (initdb refuses root).
set -u
[ $# -ge 1 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
	echo "tests/pg: no PostgreSQL server (install Debian's postgresql: scripts/deps.sh test)" >&2
	exit 97
fi
as=()
if [ "$(id -u)" -eq 0 ]; then
	id postgres >/dev/null 2>&1 || { echo "tests/pg: running as root, and no postgres user" >&2; exit 97; }
	as=(runuser -u postgres --)
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/eg-pg-XXXXXX") || exit 97
stop() {
	if [ -f "$dir/data/postmaster.pid" ]; then
		"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
	fi
	rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM
[ ${#as[@]} -eq 0 ] || chown postgres "$dir"

if ! "${as[@]}" "$bin/initdb" -D "$dir/data" -U exportgate -A trust -E UTF8 --locale=C \
	>"$dir/initdb.log" 2>&1; then
	echo "tests/pg: initdb failed:" >&2; cat "$dir/initdb.log" >&2; exit 97
fi
if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
	-o "-c listen_addresses='' -k $dir -c max_connections=200" >/dev/null 2>&1; then
	echo "tests/pg: the server did not start:" >&2; cat "$dir/server.log" >&2; exit 97
fi
export EG_TEST_PG_URI="postgresql:///postgres?host=$dir&user=exportgate"
export EG_TEST_PG_DIR="$dir"
"$@"
