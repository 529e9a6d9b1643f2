#!/bin/sh
# Installs the Debian packages exportgate needs, only those missing.
# Usage: scripts/deps.sh [build|test|bench]
set -eu
want="build-essential pkg-config meson ninja-build libicu-dev libsqlite3-dev
libjansson-dev libxml2-dev libssl-dev libcsv-dev zlib1g-dev iso-codes
libmicrohttpd-dev libcurl4-openssl-dev libpq-dev"
case "${1:-build}" in
test)  want="$want libcriterion-dev clang libclang-rt-14-dev sqlite3 python3-yaml chromium postgresql" ;;
bench) want="$want postgresql postgresql-contrib wrk nginx curl" ;;
esac
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "exportgate: installing Debian packages:$missing" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || true
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
