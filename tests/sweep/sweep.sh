#!/bin/bash
# tests/sweep/sweep.sh [--sample N] [--jobs N] [--timeout MS] [--envs "E..."]
#
# The differential sweep (make sweep): every dynamically linked program of
# /usr/bin and /usr/sbin (tests/sweep/programs.py), started as a NixOS
# user would start a downloaded one: `PROG --version`, as nobody, stdin
# /dev/null, in an empty directory, with a time limit (tests/sweep/
# sweep-run.c). Once natively (this machine's ld.so, no simulation), then
# in the simulated NixOS through ldshim and through nix-ld 2.0.6
# (../shared/peers), whose real ld.so is the Nix-built glibc of
# ../shared/nixglibc and whose libraries are this machine's, reached
# through the store: /usr/lib/x86_64-linux-gnu is seen (and only seen) at
# /nix/store/<hash>-debian-lib, and a store directory of links to its
# libraries (glibc's own excepted: the Nix glibc brings them) is the
# library path. Environments:
#   system      no NIX_LD* variable: the module's directory and cache at
#               /run/current-system/sw/share/nix-ld/lib (the system cache)
#   empty       no variable at all (env -i), the system cache too; where
#               nix-ld 2.0.6 crashes (tests/nix-ld)
#   user-xdg    a user's NIX_LD_LIBRARY_PATH and XDG_RUNTIME_DIR (the
#               automatic cache, in $XDG_RUNTIME_DIR/ldshim)
#   user        a user's NIX_LD_LIBRARY_PATH, no XDG_RUNTIME_DIR, /tmp
#               writable (a cache home elsewhere, where ldshim has one)
#   last-resort a user's NIX_LD_LIBRARY_PATH, no XDG_RUNTIME_DIR, /run,
#               /tmp and /dev/shm read-only: no cache home at all
# tests/sweep/compare.py judges each program against the native start and
# fails on any that ldshim starts worse than nix-ld. Both loaders' counts
# of programs started as natively are printed. Needs root.
. "$(dirname "$0")/../lib.sh"
SAMPLE= JOBS=2 TIMEOUT=3000 ENVS="system empty user-xdg user last-resort"
while [ $# -gt 0 ]; do
	case $1 in
	--sample) SAMPLE=$2; shift 2 ;;
	--jobs) JOBS=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--envs) ENVS=$2; shift 2 ;;
	*) echo "sweep.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
is_root || { skip sweep "needs root (mount namespaces, running programs as nobody)"; exit 0; }
[ -e "$NIXGLIBC_TAR" ] || { skip sweep "no $NIXGLIBC_TAR: the simulated NixOS needs the Nix-built glibc"; exit 0; }
PEER=$SHARED/peers/nix-ld-rust-2.0.6
[ -x "$PEER" ] || { skip sweep "no $PEER to compare with"; exit 0; }
MKC=$BUILD/ldshim-cache
[ -x "$MKC" ] && [ -e "$LDSHIM" ] || { fail sweep-built "expected $LDSHIM and $MKC (run make)"; exit 0; }
S=$T/sweep
RUN=$S/sweep-run
mkdir -p "$S"
cc_prog "$RUN" "$ROOT/tests/sweep/sweep-run.c" -- -static || { fail sweep-run-built "cc failed"; exit 0; }

# --- the programs ---
LIST=$S/programs${SAMPLE:+-$SAMPLE}
python3 "$ROOT/tests/sweep/programs.py" ${SAMPLE:+--sample "$SAMPLE"} /usr/bin /usr/sbin > "$LIST"
echo "# sweep: $(wc -l < "$LIST") programs${SAMPLE:+ (a sample)}, environments: $ENVS; --version, as nobody, ${TIMEOUT} ms each, $JOBS at a time"

# --- the store: the Nix glibc, the machine's libraries, the system ---
NS=$S/nixstore
DEB=0000000000000000000000000000000d-debian-lib
LIBS=000000000000000000000000000000l1-sweep-libraries
SYS=00000000000000000000000000000s1s-nixos-system-sweep
SYSLIB=/nix/store/$SYS/sw/share/nix-ld/lib
HOSTLIB=/usr/lib/x86_64-linux-gnu
if [ ! -e "$NS/$SYS/sw/share/nix-ld/lib/ld.so.cache" ] || [ "$HOSTLIB" -nt "$NS/$SYS/sw/share/nix-ld/lib/ld.so.cache" ]; then
	rm -rf "$NS"
	mkdir -p "$NS/$DEB" "$NS/$LIBS/lib" "$NS/$SYS/sw/share/nix-ld/lib"
	tar -xJf "$NIXGLIBC_TAR" -C "$NS"
	for f in "$HOSTLIB"/*.so*; do
		n=${f##*/}
		[ -e "$NS/$NIX_GLIBC/lib/$n" ] && continue
		case $n in ld-linux*|libc.so|libc.so.*) continue ;; esac
		[ -d "$f" ] && continue
		# Where the library really is, as seen in the simulation
		# (a link may lead out of the directory, e.g. into llvm-14/).
		r=$(readlink -f "$f")
		case $r in "$HOSTLIB"/*) r=/nix/store/$DEB/${r#"$HOSTLIB"/} ;; esac
		ln -s "$r" "$NS/$LIBS/lib/$n"
		ln -s "$r" "$NS/$SYS/sw/share/nix-ld/lib/$n"
	done
	ln -s "/nix/store/$NIX_GLIBC/lib/ld-linux-x86-64.so.2" "$NS/$SYS/sw/share/nix-ld/lib/ld.so"
	# The module's cache, built where the directory is a store path.
	mkdir -p /nix/store
	unshare -m --propagation private -- sh -c '
		mount --bind "$1" /nix/store && mount --bind "$2" "/nix/store/$3" &&
		"$4" --map "$5=/run/current-system/sw/share/nix-ld/lib" -o "/nix/store/$6/ld.so.cache" "$5"' \
		sh "$NS" "$HOSTLIB" "$DEB" "$MKC" "$SYSLIB" "$SYS" > "$S/cache.log" 2>&1 &&
	mv "$NS/$SYS/ld.so.cache" "$NS/$SYS/sw/share/nix-ld/lib/ld.so.cache" ||
		{ fail sweep-system-cache "ldshim-cache failed: $(head -3 "$S/cache.log")"; exit 0; }
fi
echo "# store: $(ls "$NS/$LIBS/lib" | wc -l) libraries of $HOSTLIB, through /nix/store/$LIBS/lib (user) and $SYSTEM_LIB (system)"

# --- the runs ---
BASE=(PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/nonexistent)
USERPATH=NIX_LD_LIBRARY_PATH=/nix/store/$LIBS/lib
EMPTY=$S/empty
rm -rf "$EMPTY"; mkdir -p "$EMPTY"; chmod 755 "$EMPTY"
OUT=$S/out${SAMPLE:+-$SAMPLE}
runner=("$RUN" --jobs "$JOBS" --timeout "$TIMEOUT" --user 65534 --dir "$EMPTY")
# in_env ENV... -- COMMAND...: in the simulated NixOS of environment $e
# through loader $file, with exactly ENV.
in_env() {
	local envv=() envf
	while [ "$1" != -- ]; do envv+=("$1"); shift; done; shift
	envf=$(mktemp)
	[ ${#envv[@]} = 0 ] || printf '%s\0' "${envv[@]}" > "$envf"
	"$SIM" --ldshim "$file" --nix-store "$NS" --env-file "$envf" \
		--bind "$HOSTLIB" "/nix/store/$DEB" --current-system "/nix/store/$SYS" "${mnt[@]}" \
		-- "$@"
}
# kind ENV...: the start ldshim takes in this environment, in its own
# words (NIX_LD_LOG=info), for a program the sweep starts.
kind() {
	local k=$S/kind; rm -rf "$k"; mkdir -p "$k"
	echo /usr/bin/true > "$k/list"
	in_env "$@" NIX_LD_LOG=info -- "${runner[@]}" "${extra[@]}" "$k/list" "$k"
	case $(cat "$k/0.out") in
	*"served by the library cache $SYSTEM_LIB/ld.so.cache"*) echo "system cache" ;;
	*"served by the library cache "*) echo "automatic cache: $(sed -n 's/.*served by the library cache \([^:]*\):.*/\1/p' "$k/0.out")" ;;
	*) echo "last resort" ;;
	esac
}
# native OUT ENV...: the programs of $LIST natively, with exactly ENV
# (and a private /tmp, so nothing is left).
native() {
	local out=$1; shift
	unshare -m --propagation private -- sh -c 'mount -t tmpfs -o mode=1777 tmpfs /tmp && exec "$@"' \
		sh env -i "$@" "${runner[@]}" "$LIST" "$out"
}
# sweep LIST OUT: every run (native, then each environment with each
# loader) of the programs of LIST, into OUT/<run>; sets specs.
sweep() {
local LIST=$1 OUT=$2
rm -rf "$OUT"; mkdir -p "$OUT/native"
t0=$(date +%s)
native "$OUT/native" "${BASE[@]}"
echo "# native: $(( $(date +%s) - t0 )) s"
specs=()
# No variable at all: natively too.
case " $ENVS " in *" empty "*)
	mkdir -p "$OUT/native-empty"; native "$OUT/native-empty"
	specs+=("empty:native:$OUT/native-empty") ;;
esac
for e in $ENVS; do
	envv=("${BASE[@]}") mnt=(--tmpfs /tmp --tmpfs /dev/shm) extra=()
	case $e in
	system) ;;
	empty) envv=() ;;
	user-xdg) envv+=("$USERPATH" XDG_RUNTIME_DIR=/run/user/65534); extra=(--private-dir /run/user/65534) ;;
	user) envv+=("$USERPATH") ;;
	last-resort) envv+=("$USERPATH"); mnt+=(--read-only /run --read-only /tmp --read-only /dev/shm) ;;
	*) echo "sweep.sh: unknown environment $e" >&2; exit 2 ;;
	esac
	for l in ldshim nix-ld; do
		if [ $l = ldshim ]; then file=$LDSHIM; else file=$PEER; fi
		o=$OUT/$e.$l; mkdir -p "$o"
		[ $l = ldshim ] && echo "# $e: ldshim's start: $(kind "${envv[@]}")"
		t0=$(date +%s)
		in_env "${envv[@]}" -- "${runner[@]}" "${extra[@]}" "$LIST" "$o" ||
			fail "sweep-$e-$l-ran" "sweep-run exited $? in the simulated NixOS"
		echo "# $e $l: $(( $(date +%s) - t0 )) s"
		specs+=("$e:$l:$o")
	done
done
}
sweep "$LIST" "$OUT"
python3 "$ROOT/tests/sweep/compare.py" --doubt "$OUT/doubt" "$LIST" "$OUT/native" "${specs[@]}" | tee "$OUT/report"
# Programs ldshim started worse than nix-ld: once more, every run, one
# at a time, with three times the time limit; that run decides.
if [ -s "$OUT/doubt" ]; then
	cut -d' ' -f2- "$OUT/doubt" | sort -u > "$OUT/doubt-list"
	ENVS=$(cut -d' ' -f1 "$OUT/doubt" | sort -u | tr '\n' ' ')
	runner=("$RUN" --jobs 1 --timeout $((TIMEOUT * 3)) --user 65534 --dir "$EMPTY")
	echo "# again: $(wc -l < "$OUT/doubt-list") programs in $ENVS"
	sweep "$OUT/doubt-list" "$OUT/again"
	python3 "$ROOT/tests/sweep/compare.py" "$OUT/doubt-list" "$OUT/again/native" "${specs[@]}" |
		sed 's/^# /# again: /' | tee -a "$OUT/report"
fi
