#!/bin/bash
# bench/run.sh [--smoke]: measure how much later a program starts through
# ldshim than with the real ld.so as its interpreter (see bench/README.md).
#
#   PEER=/path/to/loader   also measure another loader (e.g. nix-ld) that
#                          reads NIX_LD / NIX_LD_LIBRARY_PATH
#   LDSHIM=build/ldshim    the loader under test
#   OUT=bench/results/<date>.json   where the JSON goes (smoke: build/bench/)
#   SCALE=1                multiply every time budget (0.2 for a quick look)
#   BENCH_DIR=build/bench  where the workloads are built (a directory that
#                          no `make clean` of a shared checkout removes)
#
# --smoke runs every workload for a few rounds: it checks that everything
# builds, starts and produces well-formed output, and takes seconds.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SMOKE=0
[ "${1:-}" = --smoke ] && SMOKE=1
B=$(mkdir -p "${BENCH_DIR:-build/bench}" && cd "${BENCH_DIR:-build/bench}" && pwd)
LDSHIM=$(readlink -f "${LDSHIM:-build/ldshim}")
PEER=${PEER:-}
[ -n "$PEER" ] && PEER=$(readlink -f "$PEER")
SCALE=${SCALE:-1}
DIRECT_INTERP=/lib64/ld-linux-x86-64.so.2
# What a NixOS user's environment names: the real ld.so (here the host's,
# symlinks resolved, as a store path would be) and one library directory.
REAL_LDSO=$(readlink -f "$DIRECT_INTERP")
NIX_LIB=${NIX_LIB:-/lib/x86_64-linux-gnu}
DATE=$(date -u +%Y-%m-%d)
if [ $SMOKE = 1 ]; then OUT=${OUT:-$B/smoke.json}; else OUT=${OUT:-bench/results/$DATE.json}; fi
PNG=${OUT%.json}-env.png
DRIVER=${DRIVER:-$ROOT/build/bench/driver}
CC=${CC:-gcc}
CXX=${CXX:-g++}

[ -x "$LDSHIM" ] || { echo "bench: $LDSHIM missing: run make first" >&2; exit 1; }
[ -x "$DRIVER" ] || { echo "bench: $DRIVER missing: run make bench" >&2; exit 1; }
[ -n "$PEER" ] && [ ! -x "$PEER" ] && { echo "bench: PEER=$PEER is not executable" >&2; exit 1; }
mkdir -p "$B/lib" "$(dirname "$OUT")"
# The loader under test is measured from a copy: a rebuild of build/ldshim
# during the run (a shared checkout) must not change or remove it.
LDSHIM_COPY=$B/ldshim
cmp -s "$LDSHIM" "$LDSHIM_COPY" || { cp "$LDSHIM" "$LDSHIM_COPY.tmp" && mv "$LDSHIM_COPY.tmp" "$LDSHIM_COPY"; }

# ---- build the workloads: one binary per interpreter, same code ----

# interp_of FILE: its PT_INTERP, or nothing.
interp_of() { readelf -p .interp "$1" 2>/dev/null | sed -n 's/^ *\[ *0\] *//p'; }

# link OUT INTERP OBJ... [-- FLAGS]: link unless OUT is up to date and
# already names INTERP (a different PEER means a new link).
link() {
	local out=$1 interp=$2; shift 2
	local objs=() f
	while [ $# -gt 0 ] && [ "$1" != -- ]; do objs+=("$1"); shift; done
	[ "${1:-}" = -- ] && shift
	if [ -e "$out" ] && [ "$(interp_of "$out")" = "$interp" ]; then
		local stale=0
		for f in "${objs[@]}"; do [ "$f" -nt "$out" ] && stale=1; done
		[ $stale = 0 ] && return 0
	fi
	"${LINKER:-$CC}" -o "$out" "${objs[@]}" -Wl,--dynamic-linker="$interp" "$@"
}

# compile OUT SRC FLAGS...: unless OUT is newer than SRC.
compile() {
	local out=$1 src=$2; shift 2
	[ "$out" -nt "$src" ] && return 0
	"$@" -c "$src" -o "$out"
}

compile "$B/hello.o" bench/progs/hello.c $CC -O2
compile "$B/rss.o" bench/progs/rss.c $CC -O2
compile "$B/needed.o" bench/progs/needed.c $CC -O2
compile "$B/hello-cc.o" bench/progs/hello.cc $CXX -O2
compile "$B/many.o" bench/progs/many.c $CC -O2
NEEDED_LIBS=()
for i in $(seq -w 0 19); do
	lib=$B/lib/libbench$i.so
	[ "$lib" -nt bench/progs/lib.c ] ||
		$CC -O2 -fPIC -shared -DN="$i" -Wl,-soname,libbench$i.so -o "$lib" bench/progs/lib.c
	NEEDED_LIBS+=("-lbench$i")
done

# The many-directories workload: 30 directories (a dev shell's
# makeLibraryPath), each with one library the program needs and two it
# does not, found only through the library path. As root they are store
# paths, /nix/store/<hash>-pkgNN/lib, in a private mount namespace where
# $B/many is /nix/store (a store path never changes, so the shim does not
# stat it at each start); else they stay in $B/many.
MANY_LIBS=() MANY=
MANY_WRAP=()
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && mkdir -p /nix/store 2>/dev/null; then
	MANY_WRAP=(unshare -m --propagation private -- sh -c 'mount --bind "$0" /nix/store && exec "$@"' "$B/many")
fi
for i in $(seq -w 0 29); do
	p=0123456789abcdfghijklmnpqrs00$i-pkg$i
	d=$B/many/$p/lib
	mkdir -p "$d"
	for k in "$i" "x$i" "y$i"; do
		lib=$d/libbench$k.so
		[ "$lib" -nt bench/progs/lib.c ] ||
			$CC -O2 -fPIC -shared -DN="$k" -Wl,-soname,libbench$k.so -o "$lib" bench/progs/lib.c
	done
	MANY_LIBS+=(-L"$d" "-lbench$i")
	[ ${#MANY_WRAP[@]} = 0 ] || d=/nix/store/$p/lib
	MANY=${MANY:+$MANY:}$d
done

# The library caches (ldshim-cache), at a short name: the host's ld.so has
# room for a 16-byte cache path.
CACHE_TOOL=${CACHE_TOOL:-$ROOT/build/ldshim-cache}
[ -x "$CACHE_TOOL" ] || { echo "bench: $CACHE_TOOL missing: run make first" >&2; exit 1; }
K=$(mktemp -d /tmp/lsc.XXXX)
chmod 755 "$K"
"$CACHE_TOOL" -o "$K/c" "$NIX_LIB" >/dev/null
"${MANY_WRAP[@]}" "$CACHE_TOOL" -o "$K/m" ${MANY//:/ } >/dev/null

# ldshim runs three times, one binary, in each of its ways: ldshim-fallback
# (the default without a library cache: the last resort, a library path
# lent to ld.so; Debian's ld.so has no room for a cache home), ldshim-cache
# (the default with a cache for the Nix path: nothing injected) and
# ldshim-override (NIX_LD_MODE=override: the injected LD_LIBRARY_PATH,
# nix-ld's order).
VARIANTS=(direct ldshim)
interp_for() {
	case $1 in direct|llp) echo "$DIRECT_INTERP" ;; ldshim) echo "$LDSHIM_COPY" ;; peer) echo "$PEER" ;; esac
}
[ -n "$PEER" ] && VARIANTS+=(peer)
for v in "${VARIANTS[@]}"; do
	i=$(interp_for "$v")
	link "$B/hello.$v" "$i" "$B/hello.o"
	link "$B/rss.$v" "$i" "$B/rss.o"
	# The 20 libraries are found through the program's own RUNPATH, the
	# same way under every interpreter.
	link "$B/needed.$v" "$i" "$B/needed.o" -- -L"$B/lib" -Wl,--no-as-needed \
		"${NEEDED_LIBS[@]}" -Wl,--enable-new-dtags,-rpath,'$ORIGIN/lib'
	LINKER=$CXX link "$B/hello-cc.$v" "$i" "$B/hello-cc.o"
	link "$B/many.$v" "$i" "$B/many.o" -- -Wl,--no-as-needed "${MANY_LIBS[@]}"
done

# ---- run ----

if [ $SMOKE = 1 ]; then
	T() { echo 1; }
	COMMON=(-w 2 -m 5 -n 10 -c 1)
	SIZES=0,100
	LDPATH=10240
else
	# Seconds per workload, times SCALE; about 4 minutes in all.
	T() { awk -v s="$SCALE" -v t="$1" 'BEGIN { print s * t }'; }
	COMMON=(-w 20 -m 100 -n 5000 -c 5)
	SIZES=0,100,1000,10000,100000
	LDPATH=102400
fi
ENV=(-E "NIX_LD=$REAL_LDSO" -E "NIX_LD_LIBRARY_PATH=$NIX_LIB")

# args PROG [llp]: the NAME=PROGRAM list; with llp, one more variant: the
# real ld.so directly, with the user setting LD_LIBRARY_PATH=$NIX_LIB,
# which tells ldshim's own cost from what the injected path costs ld.so.
args() {
	local v
	for v in direct ${2:+llp} "${VARIANTS[@]:1}"; do
		case $v in
		llp) echo "-V" "llp:LD_LIBRARY_PATH=$NIX_LIB" "llp=$B/$1.direct" ;;
		ldshim) echo "ldshim-fallback=$B/$1.ldshim" \
			"-V" "ldshim-cache:NIX_LD_LIBRARY_CACHE=${CACHE:-$K/c}" "ldshim-cache=$B/$1.ldshim" \
			"-V" "ldshim-override:NIX_LD_MODE=override" "ldshim-override=$B/$1.ldshim" ;;
		*) echo "$v=$B/$1.$v" ;; esac
	done
}

TMP=$(mktemp -d "$B/run.XXXXXX")
trap 'rm -rf "$TMP" "$K"' EXIT
PARTS=$TMP/parts.jsonl
: > "$PARTS"
run() { "${DRIVER_WRAP[@]}" "$DRIVER" -j "$PARTS" "${ENV[@]}" "$@"; echo; }
DRIVER_WRAP=()

# shellcheck disable=SC2046
{
	run -L hello -t "$(T 45)" -o "${COMMON[@]}" $(args hello llp)
	run -L needed20 -t "$(T 30)" -o "${COMMON[@]}" $(args needed)
	run -L c++ -t "$(T 30)" -o "${COMMON[@]}" $(args hello-cc)
	run -L env -t "$(T 70)" -o -p "$TMP/env.dat" "${COMMON[@]}" -s "$SIZES" $(args hello)
	run -L ldpath100k -t "$(T 20)" -o "${COMMON[@]}" -l "$LDPATH" $(args hello)
	run -L rss -w 0 -m 0 -n 0 -k 5 $(args rss llp)
	# 30 directories: the baseline is the real ld.so with them in
	# LD_LIBRARY_PATH (the direct start that finds them).
	ENV=(-E "NIX_LD=$REAL_LDSO" -E "NIX_LD_LIBRARY_PATH=$MANY")
	[ ${#MANY_WRAP[@]} != 0 ] || echo "bench: many30's directories are not store paths (needs root): the shim stats each at every start"
	DRIVER_WRAP=("${MANY_WRAP[@]}")
	CACHE=$K/m run -L many30 -t "$(T 30)" -o "${COMMON[@]}" -V "direct:LD_LIBRARY_PATH=$MANY" $(args many)
	DRIVER_WRAP=()
}

# ---- JSON: the machine, the loaders, and one object per workload ----

jstr() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
size_of() { stat -c %s "$1"; }
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- shim arch trampoline 2>/dev/null || commit="$commit+dirty"
{
	printf '{"date":%s,"smoke":%s,\n' "$(jstr "$(date -u +%Y-%m-%dT%H:%M:%SZ)")" \
		"$([ $SMOKE = 1 ] && echo true || echo false)"
	printf ' "machine":{"cpu":%s,"cpus":%s,"kernel":%s,"glibc":%s,"cc":%s,"loadavg":%s},\n' \
		"$(jstr "$cpu")" "$(nproc)" "$(jstr "$(uname -r)")" \
		"$(jstr "$(ldd --version | head -1)")" "$(jstr "$($CC --version | head -1)")" \
		"$(jstr "$(cut -d' ' -f1-3 /proc/loadavg)")"
	printf ' "ldshim":{"path":%s,"commit":%s,"file_bytes":%s},\n' \
		"$(jstr "$LDSHIM")" "$(jstr "$commit")" "$(size_of "$LDSHIM_COPY")"
	printf ' "peer":%s,\n' "$([ -n "$PEER" ] && jstr "$PEER" || echo null)"
	printf ' "workloads":[\n'
	sed '$!s/$/,/' "$PARTS"
	printf ']}\n'
} > "$OUT"
echo "bench: results in $OUT"

# ---- plot: start time and overhead against the environment size ----

if command -v gnuplot >/dev/null; then
	cols=$(head -1 "$TMP/env.dat")
	gnuplot -e "datafile='$TMP/env.dat'; out='$PNG'; cols='$cols'" bench/plot.gp &&
		echo "bench: plot in $PNG"
else
	echo "bench: gnuplot missing (apt-get install gnuplot-nox): no plot"
fi
