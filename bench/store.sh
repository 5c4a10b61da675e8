#!/bin/bash
# bench/store.sh [ENTRIES]: how long ldshim-check takes to name the
# packages a binary lacks, with a generated Nix store of ENTRIES entries
# (default 50,000), warm (see bench/README.md, "Candidates from the store").
#
#   CHECK=build/ldshim-check   the tool measured (a copy of it is run)
#   BENCH_DIR=build/bench      where the store and programs are made; the
#                              store is kept and reused (it takes a while)
#   RUNS=20                    timed runs of each case
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
N=${1:-50000}
RUNS=${RUNS:-20}
B=$(mkdir -p "${BENCH_DIR:-build/bench}" && cd "${BENCH_DIR:-build/bench}" && pwd)/store-bench
CHECK=${CHECK:-build/ldshim-check}
[ -x "$CHECK" ] || make -s "$CHECK"
mkdir -p "$B/src" "$B/tree"
cp "$CHECK" "$B/ldshim-check"
CHECK=$B/ldshim-check
gcc -O2 -Wall -Wextra -o "$B/probe" bench/store/probe.c

# Three libraries the program needs, of which the store holds ten versions
# each (libfoo 1.x lacks FOO_2.0, which the program needs).
printf 'int foo1(void) { return 1; }\n#ifdef NEW\nint foo2(void) { return 2; }\n#endif\n' > "$B/src/foo.c"
printf 'FOO_1.0 { global: foo1; local: *; };\n' > "$B/src/v1.map"
printf 'FOO_1.0 { global: foo1; local: *; };\nFOO_2.0 { global: foo2; } FOO_1.0;\n' > "$B/src/v2.map"
printf 'int bar(void) { return 0; }\n' > "$B/src/bar.c"
printf 'int foo1(void), foo2(void), bar(void);\nint main(void) { return foo1() + foo2() + bar() != 3; }\n' > "$B/src/prog.c"
gcc -shared -fPIC -o "$B/src/libfoo-old.so" "$B/src/foo.c" -Wl,-soname,libfoo.so.1 -Wl,--version-script="$B/src/v1.map"
gcc -shared -fPIC -DNEW -o "$B/src/libfoo.so.1" "$B/src/foo.c" -Wl,-soname,libfoo.so.1 -Wl,--version-script="$B/src/v2.map"
gcc -shared -fPIC -o "$B/src/libbar.so.2" "$B/src/bar.c" -Wl,-soname,libbar.so.2
gcc -shared -fPIC -o "$B/src/libbaz.so.3" "$B/src/bar.c" -Wl,-soname,libbaz.so.3
gcc -o "$B/prog" "$B/src/prog.c" -Wl,--no-as-needed "$B/src/libfoo.so.1" "$B/src/libbar.so.2" "$B/src/libbaz.so.3"
for i in $(seq -w 1 20); do cp "$B/prog" "$B/tree/prog$i"; done

# The store: 40% .drv files, the rest directories; a quarter of the
# entries have lib/ with four files named like libraries (of 400 names;
# empty: the names are what is looked up), 1% lib64/, the others bin/ and
# share/ only. Thirty of the lib/ directories hold the real libraries.
S=$B/store-$N
GEN=2
if [ "$(cat "$S/.generated" 2>/dev/null)" != "$N $GEN" ]; then
	echo "generating $S (once)..." >&2
	rm -rf "$S"
	python3 - "$S" "$N" "$B/src" <<'PY'
import os, random, sys
root, n, src = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rnd = random.Random(18)
alphabet = "0123456789abcdfghijklmnpqrsvwxyz"
names = ["libgen%d.so.%d" % (i, i % 7) for i in range(400)]
os.makedirs(root)
def entry(name):
    return os.path.join(root, "".join(rnd.choice(alphabet) for _ in range(32)) + "-" + name)
real = []
for v in range(10):
    real.append(("libfoo-%d.%d" % (1 + v // 5, v % 5), "libfoo.so.1", "libfoo-old.so" if v < 5 else "libfoo.so.1"))
    real.append(("bar-3.%d" % v, "libbar.so.2", "libbar.so.2"))
    real.append(("baz-0.%d.1" % v, "libbaz.so.3", "libbaz.so.3"))
for pkg, name, file in real:
    d = entry(pkg) + "/lib"
    os.makedirs(d)
    os.link(os.path.join(src, file), os.path.join(d, name))
for i in range(n - len(real)):
    pkg = "pkg%d-%d.%d" % (i % 5000, i % 13, i % 7)
    r = rnd.random()
    if r < 0.40:
        open(entry(pkg) + ".drv", "w").close()
        continue
    d = entry(pkg)
    if r < 0.65:
        os.makedirs(d + "/lib")
        for l in rnd.sample(names, 4):
            open(os.path.join(d, "lib", l), "w").close()
    elif r < 0.66:
        os.makedirs(d + "/lib64")
        open(os.path.join(d, "lib64", rnd.choice(names)), "w").close()
    else:
        os.makedirs(d + "/bin")
        os.makedirs(d + "/share")
PY
	echo "$N $GEN" > "$S/.generated"
fi
mkdir -p "$B/empty-store"

# ms CMD...: wall milliseconds of each of RUNS runs after one to warm up;
# prints "median min".
ms() {
	"$@" >/dev/null || [ $? = 1 ]
	local i t0 t1 times=()
	for ((i = 0; i < RUNS; i++)); do
		t0=$(date +%s%N); "$@" >/dev/null || true; t1=$(date +%s%N)
		times+=("$(( (t1 - t0) / 1000 ))")
	done
	printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f %.1f\n", v[int((NR + 1) / 2)] / 1000, v[1] / 1000 }'
}

export NIX_LD_LIBRARY_PATH=/lib/x86_64-linux-gnu NIX_LD=$(readlink -f /lib64/ld-linux-x86-64.so.2)
unset NIX_LD_MODE LD_LIBRARY_PATH
entries=$(find "$S" -mindepth 1 -maxdepth 1 -not -name '.*' | wc -l)
dirs=$(find "$S" -mindepth 1 -maxdepth 1 -type d -not -name '.*' | wc -l)
libdirs=$(find "$S" -mindepth 2 -maxdepth 2 -type d \( -name lib -o -name lib64 \) | wc -l)
echo "store: $S: $entries entries, $dirs directories, $libdirs lib/ or lib64/"
{ "$CHECK" --store "$S" "$B/prog" || true; } | grep -E '^  (to fix|candidates|  checked)' | sed 's/^/  | /'
printf '%-44s %10s %10s\n' case median_ms min_ms
read -r med min < <(ms "$CHECK" --store "$B/empty-store" "$B/prog")
printf '%-44s %10s %10s\n' "one program, empty store (the check alone)" "$med" "$min"
read -r med min < <(ms "$CHECK" --store "$S" "$B/prog")
printf '%-44s %10s %10s\n' "one program, 3 libraries missing" "$med" "$min"
read -r med min < <(ms "$CHECK" --store "$S" --json "$B/prog")
printf '%-44s %10s %10s\n' "the same, --json" "$med" "$min"
read -r med min < <(ms "$CHECK" --store "$S" -r "$B/tree")
printf '%-44s %10s %10s\n' "-r, 20 programs" "$med" "$min"
if command -v strace >/dev/null; then
	echo "system calls of one program (strace -c):"
	strace -f -c -o "$B/strace.txt" "$CHECK" --store "$S" "$B/prog" >/dev/null || true
	awk '$NF ~ /^(faccessat|faccessat2|getdents64|openat|newfstatat|mmap)$/ { printf "  %-12s %s\n", $NF, $4 }' "$B/strace.txt"
fi
echo "ways to look up the 3 names (bench/store/probe.c):"
"$B/probe" "$S" libfoo.so.1 libbar.so.2 libbaz.so.3 | sed 's/^/  /'
"$B/probe" "$S" libfoo.so.1 | sed -n 's/^/  /; /direct\|dirs/p'
