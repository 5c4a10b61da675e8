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

# run LOADER [SIM-OPTION...] [-- VAR=VALUE...]: the foreign program in
# the simulation with the user's environment (and VAR=VALUE...).
run() {
	local loader=$1 opts=() vars=(); shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	vars=("$@")
	env -i PATH=/usr/bin:/bin HOME=/root "${NIX_ENV[@]}" "${vars[@]}" \
		"$SIM" --ldshim "$loader" "${opts[@]}" -- "$T/foreign" | sed 's/^/    /'
}
echo "== A simulated NixOS: /lib64 holds only the loader, the Nix-built glibc 2.36 is in"
echo "   /nix/store, the program's libraries in $STORE/lib"
echo "== The user's environment: PATH HOME NIX_LD NIX_LD_LIBRARY_PATH"
echo
echo "== through ldshim: no cache is named for that path, so ldshim writes its automatic"
echo "   cache once (here in /run/ldshim: root, no XDG_RUNTIME_DIR) and ld.so finds the"
echo "   libraries in its own cache step; nothing is added to the environment:"
run "$LDSHIM"
echo
echo "== through ldshim's last resort (no cache home can be had: /run, /tmp and /dev/shm"
echo "   read-only): a library path lent to ld.so until the program's first instruction:"
run "$LDSHIM" "${NO_CACHE_HOME[@]}"
peer=$ROOT/../shared/peers/nix-ld-c-1.2.3-bf5aa84
if [ -x "$peer" ]; then
	echo
	echo "== the same through nix-ld 1.2.3 (for comparison; it leaks LD_LIBRARY_PATH):"
	run "$peer" || true
fi
echo
echo "Under ldshim the child sees exactly the variables the user set."
