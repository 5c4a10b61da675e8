# Node.js (the machine's node, a foreign program) in the simulated NixOS,
# its libraries (libstdc++, libgcc_s...) from its own store directory only;
# it runs a NixOS child two ways and the foreign env.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/e2e.sh"
is_root || { skip node "needs root for the simulated NixOS"; exit 0; }
node=$(command -v node) || { skip node "no node on PATH: the nodejs package (TEST_PKGS) did not install"; exit 0; }
e2e_init
d=$(e2e_store node "$node")
o=$E/node; rm -rf "$o"; mkdir -p "$o"
user_env "$d" "NIXCHILD_LOG=$o/children"

run_sim "$o/version" "$node" --version; rc=$?
ran node-version "$o/version" $rc && { version node "$(cat "$o/version")"; pass node-version; }

run_sim "$o/tree" "$node" "$SRC/tree.js" "$NIXCHILD" "$o"; rc=$?
if ran node-tree "$o/tree" $rc; then
	check_eq node-tree "spawnSync: status 0 signal null
execSync: ok
node $(cat "$o/version") done" "$(cat "$o/tree")"
fi
check_env node-own-env "$o/self"
check_env node-foreign-child-env "$o/env-child"
# /bin/sh (for execSync) exports PWD; nothing else may differ.
check_children node-nixos-children-own-lib "$o/children" 2 PWD
