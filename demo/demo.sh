#!/bin/bash
# make demo: run a foreign program through ldshim in a simulated NixOS and
# show that the environment its child inherits is the user's, untouched.
# With a nix-ld build in ../shared/peers, show the same tree under it.
set -euo pipefail
. "$(dirname "$0")/../tests/lib.sh"
is_root || { echo "make demo needs root (it uses a private mount namespace: unshare -m)" >&2; exit 1; }
cc_prog "$T/foreign" demo/foreign.c
store_init
store_add /usr/bin/env

run() {
	local loader=$1; shift
	env -i PATH=/usr/bin:/bin HOME=/root "${NIX_ENV[@]}" "$@" "$SIM" --ldshim "$loader" -- "$T/foreign" |
		sed 's/^/    /'
}
echo "== A simulated NixOS: /lib64 holds only the loader, libraries are in $STORE/lib"
echo "== The user's environment: PATH HOME NIX_LD NIX_LD_LIBRARY_PATH"
echo
echo "== through ldshim (Debian's ld.so has no room for a cache's name: the last resort,"
echo "   a library path lent to ld.so until the program's first instruction):"
run "$LDSHIM"
# A library cache for the Nix path, at a name Debian's ld.so has room for
# (16 bytes): ld.so finds the libraries in its own cache step, and nothing
# at all is added to the environment.
K=$(mktemp -d /tmp/lsc.XXXX); trap 'rm -rf "$K"' EXIT
"$BUILD/ldshim-cache" -o "$K/c" "$STORE/lib" >/dev/null
echo
echo "== through ldshim with a library cache (ldshim-cache -o $K/c $STORE/lib): ld.so"
echo "   finds the libraries in its own cache step, nothing is added to the environment:"
run "$LDSHIM" "NIX_LD_LIBRARY_CACHE=$K/c"
peer=$ROOT/../shared/peers/nix-ld-c-1.2.3-bf5aa84
if [ -x "$peer" ]; then
	echo
	echo "== the same through nix-ld 1.2.3 (for comparison; it leaks LD_LIBRARY_PATH):"
	run "$peer" || true
fi
echo
echo "Under ldshim the child sees exactly the variables the user set."
