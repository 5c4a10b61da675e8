#!/bin/bash
# bench/cuts.sh COMMIT...: the NixOS bench (bench/nixos.sh) of ldshim as
# built at each COMMIT, side by side with the patched reference, in one
# interleaved run: what each change to the shim gains, in time and in
# system calls. Each commit is built from `git archive` under
# $BENCH_DIR/cuts/<commit> (the checkout is left alone).
#   bench/cuts.sh fc2b041 6ba9d4d 4cf09ec adb589c 04c3cc3
# SCALE, WORKLOADS as for bench/nixos.sh (the floor and nix-ld are left
# out: at most 8 variants).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
[ $# -ge 1 ] && [ $# -le 6 ] || { echo "usage: bench/cuts.sh COMMIT... (1 to 6)" >&2; exit 2; }
C=$(mkdir -p "${BENCH_DIR:-build/bench}/cuts" && cd "${BENCH_DIR:-build/bench}/cuts" && pwd)
vars=() names=()
for c in "$@"; do
	h=$(git rev-parse --short "$c")
	d=$C/$h
	if [ ! -x "$d/build/ldshim" ]; then
		rm -rf "$d"; mkdir -p "$d"
		git archive "$h" | tar -x -C "$d"
		make -s -C "$d" build/ldshim >/dev/null
	fi
	vars+=("$h=$d/build/ldshim")
	names+=("ldshim-$h")
done
# Each build against the one before it, round by round.
pairs=()
for ((i = 1; i < ${#names[@]}; i++)); do pairs+=("${names[i]}:${names[i - 1]}"); done
LDSHIM_VARIANTS="${vars[*]}" VARIANTS="patched ${names[*]}" PAIRS="${pairs[*]}" \
	OUT=${OUT:-$C/cuts.json} bench/nixos.sh
