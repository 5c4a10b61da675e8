#!/bin/bash
# bench/nixos.sh [--smoke] [--check]: start-up in a simulated NixOS (see
# bench/README.md, "In a simulated NixOS"). Needs root (mount namespaces),
# patchelf, and the Nix-layout glibc of ../shared/nixglibc; strace for the
# syscall table.
#
# Workloads, each in four variants of one program, started interleaved:
#   patched   patchelf --set-interpreter <Nix ld.so> --set-rpath <its
#             library directories>: the reference (ratios are against it)
#   floor     the same, but its interpreter is bench/progs/floor.c, which
#             only maps the Nix ld.so and jumps to it: what being an
#             interpreter costs at all
#   ldshim    the unpatched program, ldshim as its interpreter
#   nix-ld    the same with nix-ld ($PEER, default nix-ld-rust 2.0.6)
# hello (libc only); libs15 (a C++ program with 20 DT_NEEDED, 43
# libraries in all, Debian's, copied into the store one directory each
# and given RUNPATHs as Nix gives them); devshell30 (30 libraries, each in
# a store directory of its own, as a dev shell's library path).
#
#   --check   exit 1 unless the targets hold (bench/README.md says which)
#   --smoke   a few rounds: checks that everything runs, numbers mean nothing
#   LDSHIM=build/ldshim PEER=... SCALE=1 BENCH_DIR=build/bench
#   OUT=bench/results/<date>-nixos.json
#   LDSHIM_VARIANTS="NAME=FILE ..."  more builds of ldshim, as variants
#                                    ldshim-NAME (bench/cuts.sh)
#   VARIANTS="patched floor ldshim nix-ld"  which variants run (the first
#                                    is the reference), at most 8
#   WORKLOADS="hello libs15 devshell30"
#   PAIRS="A:B ..."                  more paired comparisons (driver -P)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SMOKE=0 CHECK=0 INSIDE=0
for a in "$@"; do
	case $a in --smoke) SMOKE=1 ;; --check) CHECK=1 ;; --inside) INSIDE=1 ;;
	*) echo "usage: bench/nixos.sh [--smoke] [--check]" >&2; exit 2 ;; esac
done
say() { echo "bench-nixos: $*"; }
skip() { say "skipped: $*"; exit 0; }

B=$(mkdir -p "${BENCH_DIR:-build/bench}" && cd "${BENCH_DIR:-build/bench}" && pwd)/nixos
LDSHIM=$(readlink -f "${LDSHIM:-build/ldshim}")
SHARED=${SHARED:-$(cd "$ROOT/.." && pwd)/shared}
[ -d "$SHARED/nixglibc" ] || SHARED=/work/shared
PEER=$(readlink -f "${PEER:-$SHARED/peers/nix-ld-rust-2.0.6}")
TAR=$SHARED/nixglibc/glibc-2.36-nix.tar.xz
DRIVER=${DRIVER_STATIC:-$ROOT/build/bench/driver-static}
CACHE_TOOL=${CACHE_TOOL:-$ROOT/build/ldshim-cache}
SCALE=${SCALE:-1}
DATE=$(date -u +%Y-%m-%d)
if [ $SMOKE = 1 ]; then OUT=${OUT:-$B/smoke.json}; else OUT=${OUT:-bench/results/$DATE-nixos.json}; fi

[ "$(id -u)" = 0 ] || skip "needs root (a private mount namespace)"
command -v unshare >/dev/null || skip "no unshare"
command -v patchelf >/dev/null || skip "no patchelf (apt-get install patchelf)"
[ -e "$TAR" ] || skip "no $TAR"
[ -x "$PEER" ] || skip "no nix-ld at $PEER"
for f in "$LDSHIM" "$DRIVER" "$CACHE_TOOL"; do
	[ -x "$f" ] || { echo "bench-nixos: $f missing: run make bench" >&2; exit 1; }
done

# ---- the store: $N, seen at /nix/store inside ----
N=$B/store
G=8m1s7yq4f0sbzdhy8lq5z0ab5xgpwcxh-glibc-2.36
GL=/nix/store/$G/lib
NIX_LDSO=$GL/ld-linux-x86-64.so.2
# sp NAME: a store path name, <32 characters of Nix's alphabet>-NAME.
sp() { echo "$(printf %s "$1" | sha256sum | cut -c1-32 | tr e z)-$1"; }
LIBENV=$(sp ldshim-libraries)
LIBDIR=/run/current-system/sw/share/nix-ld/lib
DEVCACHE=$(sp ldshim-cache)
LIBCCACHE=$(sp ldshim-libc) DEVLIBCCACHE=$(sp ldshim-devlibc)
LDSHIM_IN=/nix/store/$(sp ldshim)/libexec/nix-ld
PEER_IN=/nix/store/$(sp nix-ld-2.0.6)/libexec/nix-ld
FLOOR_IN=/nix/store/$(sp ldshim-bench-floor)/libexec/floor
in_store() { echo "$N/${1#/nix/store/}"; }
E=$N/$LIBENV/share/nix-ld/lib
MANY=()
for i in $(seq -w 0 29); do MANY+=("/nix/store/$(sp "pkg$i")/lib"); done
MANY_PATH=$(IFS=:; echo "${MANY[*]}")
# ---- built outside the namespace (it re-runs itself inside, below) ----
if [ $INSIDE = 0 ]; then
mkdir -p "$N" "$B/bin"
[ -e "$N/$G/lib/libc.so.6" ] || tar -xJf "$TAR" -C "$N"

# The loaders, copied in (a rebuild of build/ldshim during the run must
# not change what is measured).
put() { mkdir -p "$(dirname "$2")"; cmp -s "$1" "$2" || { cp "$1" "$2.tmp" && mv "$2.tmp" "$2"; }; }
put "$LDSHIM" "$(in_store "$LDSHIM_IN")"
EXTRA=()
for x in ${LDSHIM_VARIANTS:-}; do
	EXTRA+=("ldshim-${x%%=*}")
	put "$(readlink -f "${x#*=}")" "$N/$(sp "ldshim-${x%%=*}")/libexec/nix-ld"
done
put "$PEER" "$(in_store "$PEER_IN")"
FLOOR_CFLAGS=(-std=gnu11 -O2 -ffreestanding -fno-builtin -fPIE -fno-stack-protector
	-fno-stack-clash-protection -fcf-protection=none -fno-asynchronous-unwind-tables
	-static-pie -nostdlib -Wl,-e,floor_start -Wl,-z,noexecstack -Wl,-z,norelro
	-Wl,-z,noseparate-code -Wl,--build-id=none -Wall -Wextra -Werror)
gcc "${FLOOR_CFLAGS[@]}" -DLDSO="\"$NIX_LDSO\"" -o "$B/floor" bench/progs/floor.c
put "$B/floor" "$(in_store "$FLOOR_IN")"

# Libraries not of glibc's: the Nix glibc has its own.
GLIBC_LIBS=' libc.so.6 libm.so.6 libpthread.so.0 libdl.so.2 librt.so.1 libresolv.so.2 ld-linux-x86-64.so.2 '
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
# store_dir SONAME: the store directory its copy lives in.
store_dir() { echo "/nix/store/$(sp "${1%%.so*}")/lib"; }

# libs15: linked on the host against Debian's libraries; each library of
# its closure copied into a store directory of its own, with a RUNPATH of
# its dependencies' directories and glibc's (as Nix builds them).
L15=(-l:libcurl.so.4 -l:libssl.so.3 -l:libcrypto.so.3 -l:libxml2.so.2 -l:libsqlite3.so.0
	-l:libz.so.1 -l:liblzma.so.5 -l:libzstd.so.1 -l:libidn2.so.0 -l:libnghttp2.so.14
	-l:libpsl.so.5 -l:libssh2.so.1 -l:libbrotlidec.so.1 -l:libpcre2-8.so.0
	-l:libexpat.so.1 -l:libfreetype.so.6)
if [ ! "$B/libs15.host" -nt bench/progs/libs15.cc ] &&
   ! g++ -O2 -o "$B/libs15.host" bench/progs/libs15.cc -Wl,--no-as-needed "${L15[@]}" 2>"$B/libs15.err"; then
	skip "libs15 does not link (Debian's libcurl4 libssl3 libxml2 libsqlite3-0 libzstd1 libidn2-0 libnghttp2-14 libpsl5 libssh2-1 libbrotli1 libpcre2-8-0 libexpat1 libfreetype6 g++): $(head -c 300 "$B/libs15.err")"
fi
[ "$B/hello.host" -nt bench/progs/hello.c ] || gcc -O2 -o "$B/hello.host" bench/progs/hello.c
if [ ! -e "$B/closure.done" ] || [ "$B/libs15.host" -nt "$B/closure.done" ]; then
	: > "$B/closure"
	while read -r name path; do
		case $GLIBC_LIBS in *" $name "*) continue ;; esac
		d=$(store_dir "$name")
		mkdir -p "$(in_store "$d")"
		cp -L "$path" "$(in_store "$d")/$name"
		echo "$name" >> "$B/closure"
	done < <(ldd "$B/libs15.host" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }')
	for name in $(cat "$B/closure"); do
		f=$(in_store "$(store_dir "$name")")/$name
		rp=
		for dep in $(needed "$f"); do
			case $GLIBC_LIBS in *" $dep "*) continue ;; esac
			rp=$rp$(store_dir "$dep"):
		done
		patchelf --set-rpath "$rp$GL" "$f"
	done
	touch "$B/closure.done"
fi
# The module's library directory: a link per library and ld.so.
rm -rf "$N/$LIBENV"; mkdir -p "$E"
for name in $(cat "$B/closure"); do ln -s "$(store_dir "$name")/$name" "$E/$name"; done
ln -s "$NIX_LDSO" "$E/ld.so"

# devshell30: 30 libraries, each in its own directory with two it is not
# asked for.
MANYL=()
for i in $(seq -w 0 29); do
	d=${MANY[10#$i]}
	mkdir -p "$(in_store "$d")"
	for k in "$i" "x$i" "y$i"; do
		lib=$(in_store "$d")/libbench$k.so
		[ "$lib" -nt bench/progs/lib.c ] ||
			gcc -O2 -fPIC -shared -DN="$k" -Wl,-soname,libbench$k.so -o "$lib" bench/progs/lib.c
	done
	MANYL+=(-L"$(in_store "$d")" "-lbench$i")
done
[ "$B/devshell30.host" -nt bench/progs/many.c ] ||
	gcc -O2 -o "$B/devshell30.host" bench/progs/many.c -Wl,--no-as-needed "${MANYL[@]}"

# The variants: the same program, patchelf'ed.
rpath_of() {
	case $1 in
	hello) echo "$GL" ;;
	devshell30) echo "$MANY_PATH:$GL" ;;
	libs15)
		local rp= dep
		for dep in $(needed "$B/libs15.host"); do
			case $GLIBC_LIBS in *" $dep "*) continue ;; esac
			rp=$rp$(store_dir "$dep"):
		done
		echo "$rp$GL" ;;
	esac
}
for w in hello libs15 devshell30; do
	h=$B/$w.host o=$B/bin/$w
	if [ ! -e "$o.done" ] || [ "$h" -nt "$o.done" ]; then
		rp=$(rpath_of "$w")
		cp "$h" "$o.patched" && patchelf --set-interpreter "$NIX_LDSO" --set-rpath "$rp" "$o.patched"
		cp "$h" "$o.floor" && patchelf --set-interpreter "$FLOOR_IN" --set-rpath "$rp" "$o.floor"
		cp "$h" "$o.ldshim" && patchelf --set-interpreter "$LDSHIM_IN" "$o.ldshim"
		cp "$h" "$o.nix-ld" && patchelf --set-interpreter "$PEER_IN" "$o.nix-ld"
		touch "$o.done"
	fi
	cp "$o.ldshim" "$o.ldshim-libc"
	for x in "${EXTRA[@]}"; do
		cp "$h" "$o.$x" && patchelf --set-interpreter "/nix/store/$(sp "$x")/libexec/nix-ld" "$o.$x"
	done
done


# ---- inside: /nix/store, /run/current-system, /etc/ldshim.conf ----
	mkdir -p /nix/store
	exec unshare -m --propagation private -- "$0" "$@" --inside
fi
mount --bind "$N" /nix/store
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/current-system/sw/share
ln -s "/nix/store/$LIBENV/share/nix-ld" /run/current-system/sw/share/nix-ld
# The caches, as the module and a dev shell build them.
"$CACHE_TOOL" --map "/nix/store/$LIBENV/share/nix-ld/lib=$LIBDIR" -o /run/c "/nix/store/$LIBENV/share/nix-ld/lib" >/dev/null
mv /run/c "$E/ld.so.cache"
mkdir -p "/nix/store/$DEVCACHE"
"$CACHE_TOOL" -o "/nix/store/$DEVCACHE/ld.so.cache" "${MANY[@]}" >/dev/null
# An experiment (variant ldshim-libc, not run by default): the module's
# cache with glibc's own directory last, the directory ld.so searches
# right after its cache: the same libraries in the same order, found
# without ld.so's search of that directory's hwcaps subdirectories.
mkdir -p "/nix/store/$LIBCCACHE"
"$CACHE_TOOL" --map "/nix/store/$LIBENV/share/nix-ld/lib=$LIBDIR" -o "/nix/store/$LIBCCACHE/ld.so.cache" \
	"/nix/store/$LIBENV/share/nix-ld/lib" "$GL" >/dev/null
mkdir -p "/nix/store/$DEVLIBCCACHE"
"$CACHE_TOOL" -o "/nix/store/$DEVLIBCCACHE/ld.so.cache" "${MANY[@]}" "$GL" >/dev/null
# /etc with the module's ldshim.conf: a copy of the machine's /etc.
T=$B/ns   # a mount point: the tmpfs goes with the namespace
mkdir -p "$T"
mount -t tmpfs -o mode=755 tmpfs "$T"
cp -a /etc/. "$T/"
cat > "$T/ldshim.conf" <<EOF
# Written by the NixOS module programs.ldshim.
ld.so = $LIBDIR/ld.so
library-path = $LIBDIR
library-cache = $LIBDIR/ld.so.cache
allow-user-config = no
EOF
chmod 444 "$T/ldshim.conf"
[ -e "$T/ld.so.cache" ] || : > "$T/ld.so.cache"
mount --bind "$T" /etc

# Per workload: the variables each variant starts with. No NIX_LD* for
# hello and libs15 (both loaders' built-in defaults are the module's
# paths; ldshim reads the module's /etc/ldshim.conf); a dev shell sets
# NIX_LD_LIBRARY_PATH and, for ldshim, the cache mkShellEnv builds.
vars_of() {  # WORKLOAD VARIANT
	case $1:$2 in
	devshell30:ldshim-libc) echo "NIX_LD=$LIBDIR/ld.so NIX_LD_LIBRARY_PATH=$MANY_PATH:$GL NIX_LD_LIBRARY_CACHE=/nix/store/$DEVLIBCCACHE/ld.so.cache" ;;
	*:ldshim-libc) echo "NIX_LD_LIBRARY_PATH=$LIBDIR:$GL NIX_LD_LIBRARY_CACHE=/nix/store/$LIBCCACHE/ld.so.cache" ;;
	devshell30:ldshim*) echo "NIX_LD=$LIBDIR/ld.so NIX_LD_LIBRARY_PATH=$MANY_PATH NIX_LD_LIBRARY_CACHE=/nix/store/$DEVCACHE/ld.so.cache" ;;
	devshell30:nix-ld) echo "NIX_LD=$LIBDIR/ld.so NIX_LD_LIBRARY_PATH=$MANY_PATH" ;;
	esac
}
read -r -a VARIANTS <<<"${VARIANTS:-patched floor ldshim nix-ld}"
read -r -a WORKLOADS <<<"${WORKLOADS:-hello libs15 devshell30}"
has() { [[ " ${VARIANTS[*]} " == *" $1 "* ]]; }
# --keep-run: the /run set up above (current-system) is the one to use.
SIM=(tests/nixos-sim --ldshim "$LDSHIM" --nix-store "$N" --keep-run)

# ---- the syscall table (strace, outside the timing) ----
# Own part: from the execve to the loader's jump to ld.so, i.e. up to
# ld.so's first system call, which in glibc's ld.so is brk(NULL) (checked:
# a patched start's first). Total: everything after the execve, to
# exit_group.
ST=$T/st
declare -A OWN TOTAL OWNLIST
if command -v strace >/dev/null; then
	for w in "${WORKLOADS[@]}"; do
		for v in "${VARIANTS[@]}"; do
			p=$B/bin/$w.$v
			# shellcheck disable=SC2046
			env -i PATH=/usr/bin:/bin $(vars_of "$w" "$v") strace -f -qq -o "$ST" \
				"${SIM[@]}" -- "$p" >/dev/null
			read -r own total list < <(awk -v p="$p" '
				$2 ~ "^execve\\(\"" p "\"" && / = 0$/ { pid = $1; n = 0; own = -1; list = ""; next }
				pid && $1 == pid && $2 !~ /^(\+\+\+|---)/ {
					n++
					if (own < 0 && $2 ~ /^brk\(NULL\)/) own = n - 1
					if (own < 0) { s = $2; sub(/\(.*/, "", s); list = list s "," }
				}
				END { print own, n, (list == "" ? "-" : list) }' "$ST")
			OWN[$w:$v]=$own TOTAL[$w:$v]=$total OWNLIST[$w:$v]=$list
		done
	done
	[ "${OWN[hello:patched]:-0}" = 0 ] || say "warning: a patched start's first system call is not brk(NULL): the own-part column is wrong"
	echo
	printf '%-11s %-8s %5s %6s  %s\n' workload variant own total "own part (system calls before ld.so's first)"
	for w in "${WORKLOADS[@]}"; do
		for v in "${VARIANTS[@]}"; do
			printf '%-11s %-8s %5s %6s  %s\n' "$w" "$v" "${OWN[$w:$v]}" "${TOTAL[$w:$v]}" \
				"$(tr ',' '\n' <<<"${OWNLIST[$w:$v]}" | grep . | uniq -c | awk '{ printf "%s%s", (NR > 1 ? " " : ""), ($1 > 1 ? $2 "x" $1 : $2) }')"
		done
	done
	echo
else
	say "strace missing (apt-get install strace): no syscall table"
fi

# ---- timing: every variant once per round, in a new order each round ----
if [ $SMOKE = 1 ]; then
	COMMON=(-w 2 -m 5 -n 10 -c 1); TH=1 TL=1 TD=1
else
	COMMON=(-w 30 -m 200 -n 20000 -c 5)
	t() { awk -v s="$SCALE" -v t="$1" 'BEGIN { print s * t }'; }
	TH=$(t 60) TL=$(t 60) TD=$(t 40)
fi
mkdir -p "$(dirname "$OUT")"
: > "$OUT.parts"
TABLE=$T/table
: > "$TABLE"
for w in "${WORKLOADS[@]}"; do
	case $w in hello) s=$TH ;; libs15) s=$TL ;; devshell30) s=$TD ;; esac
	args=(-L "$w" -t "$s" -o "${COMMON[@]}" -j "$OUT.parts")
	for x in nix-ld floor; do
		if has ldshim && has "$x"; then args+=(-P "ldshim:$x"); fi
	done
	for x in ${PAIRS:-}; do args+=(-P "$x"); done
	for v in "${VARIANTS[@]}"; do
		for x in $(vars_of "$w" "$v"); do args+=(-V "$v:$x"); done
	done
	for v in "${VARIANTS[@]}"; do args+=("$v=$B/bin/$w.$v"); done
	envf=$(mktemp); printf 'PATH=/usr/bin:/bin\0' > "$envf"
	"${SIM[@]}" --env-file "$envf" -- "$DRIVER" "${args[@]}" | tee -a "$TABLE"
	echo
done
{
	printf '{"date":"%s","smoke":%s,"loadavg":"%s","ldshim":"%s","commit":"%s","peer":"%s",\n' \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$([ $SMOKE = 1 ] && echo true || echo false)" \
		"$(cut -d' ' -f1-3 /proc/loadavg)" "$LDSHIM" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$PEER"
	printf ' "syscalls":{'
	first=1
	for w in "${WORKLOADS[@]}"; do for v in "${VARIANTS[@]}"; do
		[ -n "${TOTAL[$w:$v]:-}" ] || continue
		[ $first = 1 ] || printf ','
		first=0
		printf '"%s/%s":{"own":%s,"total":%s}' "$w" "$v" "${OWN[$w:$v]}" "${TOTAL[$w:$v]}"
	done; done
	printf '},\n "workloads":[\n'
	sed '$!s/$/,/' "$OUT.parts"
	printf ']}\n'
} > "$OUT"
rm -f "$OUT.parts"
say "results in $OUT"

# ---- plot: each variant's median as a ratio to patched, per workload ----
if command -v gnuplot >/dev/null; then
	dat=$T/ratios.dat
	{
		printf 'workload'; printf ' %s' "${VARIANTS[@]:1}"; echo
		for w in "${WORKLOADS[@]}"; do
			printf '%s' "$w"
			for v in "${VARIANTS[@]:1}"; do
				printf ' %s' "$(awk -v w="$w" -v v="$v" '$1 == w && $2 == v && $3 ~ /^[0-9]+$/ && $4 ~ /\./ { print $9 }' "$TABLE")"
			done
			echo
		done
	} > "$dat"
	gnuplot -e "datafile='$dat'; out='${OUT%.json}.png'" bench/plot-nixos.gp &&
		say "plot in ${OUT%.json}.png"
else
	say "gnuplot missing (apt-get install gnuplot-nox): no plot"
fi

# ---- the targets ----
# ratio W V: the median ratio to patched; paired W: the median paired
# difference ldshim - nix-ld (us).
ratio() { awk -v w="$1" -v v="$2" '$1 == w && $2 == v && $3 ~ /^[0-9]+$/ { print $9 }' "$TABLE"; }
paired() { awk -v w="$1" '$1 == w && $2 == "paired" && $3 == "ldshim" && $5 == "nix-ld" { print $9, $12 }' "$TABLE"; }
if [ "${VARIANTS[*]}" != "patched floor ldshim nix-ld" ] || [ "${WORKLOADS[*]}" != "hello libs15 devshell30" ]; then
	say "not every default variant and workload ran: targets not checked"
	exit 0
fi
bad=0
target() {  # OK? TEXT
	if [ "$1" = 1 ]; then echo "target met:     $2"; else echo "target NOT met: $2"; bad=1; fi
}
echo
for w in hello libs15; do
	r=$(ratio "$w" ldshim)
	target "$(awk -v r="$r" 'BEGIN { print (r < 1.005) ? 1 : 0 }')" \
		"$w: ldshim <= 1.00 x patched (median ratio $r)"
done
for w in "${WORKLOADS[@]}"; do
	rl=$(ratio "$w" ldshim) rn=$(ratio "$w" nix-ld)
	read -r pr pd < <(paired "$w")
	target "$(awk -v a="$rl" -v b="$rn" -v d="$pd" 'BEGIN { print (a < b && d + 0 < 0) ? 1 : 0 }')" \
		"$w: ldshim ahead of nix-ld (medians $rl vs $rn x patched; paired ratio $pr, ${pd} us per start)"
done
if [ -n "${OWN[hello:ldshim]:-}" ]; then
	for w in hello libs15; do
		target "$([ "${OWN[$w:ldshim]}" -le 10 ] && echo 1 || echo 0)" \
			"$w: ldshim's own part <= 10 system calls (${OWN[$w:ldshim]}; the floor's ${OWN[$w:floor]})"
	done
fi
[ $SMOKE = 1 ] && say "smoke run: the numbers mean nothing"
if [ $CHECK = 1 ] && [ $SMOKE = 0 ] && [ $bad = 1 ]; then exit 1; fi
exit 0
