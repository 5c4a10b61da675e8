# npm packages that ship prebuilt native code, installed with npm into
# build/tests/e2e/npm: esbuild (its binary is a static Go program: it needs
# no loader, and runs as the child of a foreign node) and rollup's N-API
# addon (a glibc-linked .node that node dlopen()s after start: its
# libgcc_s comes from the store through the injected path).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/e2e.sh"
is_root || { skip npm "needs root for the simulated NixOS"; exit 0; }
node=$(command -v node) || { skip npm "no node on PATH: the nodejs package (TEST_PKGS) did not install"; exit 0; }
# npm is not in TEST_PKGS: nodesource's nodejs ships it and conflicts with
# Debian's npm package, Debian's nodejs needs it; so install it only here.
if ! command -v npm >/dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm > "$T/e2e-npm-apt.log" 2>&1 ||
		{ skip npm "npm is missing and apt-get install npm failed: $(grep -m1 '^E:' "$T/e2e-npm-apt.log")"; exit 0; }
fi
e2e_init
n=$E/npm; pkgs=(esbuild@0.28.2 @rollup/rollup-linux-x64-gnu@4.68.7)
if [ ! -e "$n/.done" ]; then
	mkdir -p "$n"
	if npm install --prefix "$n" --no-audit --no-fund --no-save "${pkgs[@]}" > "$n/install.log" 2>&1; then
		touch "$n/.done"
	else
		skip npm "npm install ${pkgs[*]} failed (npm registry unreachable?): $(grep -m1 -i err "$n/install.log")"; exit 0
	fi
fi
addon=$n/node_modules/@rollup/rollup-linux-x64-gnu/rollup.linux-x64-gnu.node
esb=$(ls "$n"/node_modules/@esbuild/linux-x64/bin/esbuild)
version esbuild "$(cat "$n/node_modules/esbuild/package.json" | sed -n 's/^ *"version": "\(.*\)".*/\1/p') ($(readelf -lW "$esb" | grep -q INTERP && echo dynamic || echo static))"
version rollup-native "$(sed -n 's/^ *"version": "\(.*\)".*/\1/p' "$n/node_modules/@rollup/rollup-linux-x64-gnu/package.json") (NEEDED $(readelf -d "$addon" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' '))"
d=$(e2e_store npm "$node" "$addon")
o=$E/npm-run; rm -rf "$o"; mkdir -p "$o"
user_env "$d"

run_sim "$o/esbuild" "$esb" --version; rc=$?
ran esbuild-binary "$o/esbuild" $rc && check_eq esbuild-binary 0.28.2 "$(cat "$o/esbuild")"
run_sim "$o/node" "$node" "$SRC/npm.js" "$n" "$o"; rc=$?
if ran npm-native-from-node "$o/node" $rc; then
	check_eq npm-native-from-node 'esbuild 0.28.2: bundle has "ldshim": true
rollup native: xxhash '"$(node -e 'const r=require(process.argv[1]); console.log(r.xxhashBase16(Buffer.from("ldshim")))' "$addon")" "$(cat "$o/node")"
fi
