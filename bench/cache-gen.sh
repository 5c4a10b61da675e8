#!/bin/bash
# bench/cache-gen.sh [LIBS [DIRS [RUNS]]]: how long ldshim-cache takes to
# write the cache of a large library path: LIBS libraries (default 5,000,
# copies of one tiny .so under different versioned names, a tenth of them
# also shadowed by a later directory, plus a development symlink and a
# non-ELF file per directory) across DIRS directories (default 30). Each
# of RUNS runs (default 10; the first warms the page cache) writes the
# cache (on BENCH_DIR's file system, then on /dev/shm, where fsync costs
# nothing); then --check is timed the same way. Prints the minimum and the
# median wall time. The shim's own writer of the automatic cache
# (bench/mkcache-time.c) is timed on the same directories. A benchmark,
# not a test: nothing here passes or fails.
set -euo pipefail
libs=${1:-5000} ndirs=${2:-30} runs=${3:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
make -s -C "$root" build/ldshim-cache build/check-tool/libcheck.a
tool=$root/build/ldshim-cache
w=$(mktemp -d "${BENCH_DIR:-/tmp}/cache-gen.XXXXXX")
trap 'rm -rf "$w"' EXIT

gcc -O2 -I"$root/shim" -o "$w/mkcache-time" "$root/bench/mkcache-time.c" \
	"$root/build/check-tool/libcheck.a"
echo 'int bench_f(void) { return 1; }' > "$w/f.c"
gcc -shared -fPIC -nostdlib -s -Wl,-z,noseparate-code -o "$w/f.so" "$w/f.c"
dirs=()
for ((d = 0; d < ndirs; d++)); do dirs+=("$w/lib/d$d"); mkdir -p "$w/lib/d$d"; done
for ((i = 0; i < libs; i++)); do
	d=$((i % ndirs))
	cp "$w/f.so" "$w/lib/d$d/libbench$i.so.$((i % 7)).$((i % 13))"
	# a tenth shadowed: the same name again in the next directory
	[ $((i % 10)) = 0 ] && cp "$w/f.so" "$w/lib/d$(((d + 1) % ndirs))/libbench$i.so.$((i % 7)).$((i % 13))"
done
for dir in "${dirs[@]}"; do
	ln -s "$(ls "$dir" | head -1)" "$dir/libdev.so"
	echo 'INPUT(-lbench)' > "$dir/libscript$RANDOM.so"
done

# time_runs CMD...: RUNS wall times in ms, sorted.
time_runs() {
	local i t0 t1
	for ((i = 0; i < runs; i++)); do
		t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000))
	done | sort -n | awk '{ a[NR] = $1 } END { printf "min %.1f ms, median %.1f ms\n", a[1] / 1000, a[int((NR + 1) / 2)] / 1000 }'
}
files=$(find "$w/lib" -mindepth 2 | wc -l)
echo "ldshim-cache: $files files in $ndirs directories ($(nproc) CPUs, $(uname -r))"
echo "  write:   $(time_runs "$tool" -o "$w/cache" "${dirs[@]}") ($(df --output=fstype "$w" | tail -1), with its fsync)"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	shm=$(mktemp /dev/shm/cache-gen.XXXXXX)
	echo "  write:   $(time_runs "$tool" -o "$shm" "${dirs[@]}") (to tmpfs: no fsync wait)"
	rm -f "$shm"
fi
echo "  --check: $(time_runs "$tool" --check "$w/cache")"
# The shim's writer: no fsync (a cache in $XDG_RUNTIME_DIR, a tmpfs).
path=$(IFS=:; echo "${dirs[*]}")
echo "  shim:    $("$w/mkcache-time" "$w/auto.cache" "$path" "$runs" | sort -n |
	awk '{ a[NR] = $1 } END { printf "min %.1f ms, median %.1f ms\n", a[1] / 1000, a[int((NR + 1) / 2)] / 1000 }') (mkcache_write, to $(df --output=fstype "$w" | tail -1))"
"$tool" -v -o "$w/cache" "${dirs[@]}" | tail -1 | sed 's/^[^:]*: /  result: /'
