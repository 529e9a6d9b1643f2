#!/usr/bin/env bash
# install.sh BUILD - installs BUILD into a temporary directory (meson install
# --destdir) and builds tests/install/hello.c against the installed copy the
# way a user would, with `pkg-config --cflags --libs exportgate`: linked to
# the shared library, then to the static one (`pkg-config --static`). Each
# must print the versions and the "no list imported" error of eg_screen.
# Run from the source root by scripts/test.sh; exits non-zero on a failure.
set -eu
build=$1
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log" >&2; fail "meson install"; }
pc=$(find "$tmp/root" -name exportgate.pc)
[ -n "$pc" ] || fail "no exportgate.pc installed"
header=$(find "$tmp/root" -name exportgate.h)
[ -n "$header" ] || fail "no exportgate.h installed"
# The .pc names the final prefix; the sysroot maps it into the temp dir.
export PKG_CONFIG_PATH="${pc%/*}" PKG_CONFIG_SYSROOT_DIR="$tmp/root"
libdir="${pc%/pkgconfig/*}"
[ -e "$libdir/libexportgate.so" ] || fail "no libexportgate.so beside pkgconfig/exportgate.pc"
[ -e "$libdir/libexportgate.a" ] || fail "no libexportgate.a beside pkgconfig/exportgate.pc"
version=$(pkg-config --modversion exportgate)

check() { # check PROGRAM: runs it on a new store, checks its output
	"$@" "$tmp/store.db" >"$tmp/out" 2>&1 || { cat "$tmp/out" >&2; fail "$* exited $?"; }
	grep -qx "header $version library $version" "$tmp/out" ||
		{ cat "$tmp/out" >&2; fail "$1: versions differ from the .pc's $version"; }
	grep -qx "screen: EG_ENOTFOUND: no list imported yet.*" "$tmp/out" ||
		{ cat "$tmp/out" >&2; fail "$1: not the no-list error"; }
	rm -f "$tmp"/store.db*
}

# shellcheck disable=SC2046
"$cc" -std=c11 -pedantic -Wall -Wextra -Werror tests/install/hello.c -o "$tmp/hello-shared" \
	$(pkg-config --cflags --libs exportgate)
LD_LIBRARY_PATH="$libdir" check "$tmp/hello-shared"

# The static archive, with every library it needs from --static.
static_libs=$(pkg-config --static --libs exportgate |
	sed 's/-lexportgate/-Wl,-Bstatic -lexportgate -Wl,-Bdynamic/')
# shellcheck disable=SC2046,SC2086
"$cc" -std=c11 -pedantic -Wall -Wextra -Werror tests/install/hello.c -o "$tmp/hello-static" \
	$(pkg-config --cflags exportgate) $static_libs
if readelf -d "$tmp/hello-static" | grep -q 'libexportgate'; then
	fail "hello-static needs libexportgate.so"
fi
check "$tmp/hello-static"
echo "installed exportgate $version: shared and static builds of hello.c pass"
