# Shared helpers for test scripts: source it, then report each case with
# pass/fail/skip. tests/run counts the lines these print.
#   PASS <case>
#   FAIL <case>: <what was expected, what came instead>
#   SKIP <case>: <why>

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ARCH=${ARCH:-x86_64}
BUILD=$ROOT/build
LDSHIM=${LDSHIM:-$BUILD/ldshim}
T=$BUILD/tests                     # test programs are built here
SIM=$ROOT/tests/nixos-sim
INTERP=/lib64/ld-linux-x86-64.so.2
# The real glibc ld.so of this machine (resolved before any namespace
# hides /lib64).
REAL_LDSO=$(readlink -f "$INTERP")
# The project's shared material (DESIGN.md, peers/, nixglibc/,
# nixpkgs-lib/): the checkout's sibling ../shared, wherever the checkout is.
SHARED=$(cd "$ROOT/../shared" 2>/dev/null && pwd || echo /work/shared)
mkdir -p "$T"

pass() { echo "PASS $1"; }
fail() { local c=$1; shift; echo "FAIL $c: $*"; }
skip() { local c=$1; shift; echo "SKIP $c: $*"; }

# check_eq CASE EXPECTED ACTUAL: pass, or fail showing a diff.
check_eq() {
	if [ "$2" == "$3" ]; then pass "$1"; else
		fail "$1" "output differs (- expected, + actual):"
		diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed -n '1,40s/^/    /p'
	fi
}

# cc_prog OUT SRC... [-- CFLAGS/LDFLAGS...]: build a hosted test program
# (or library) unless it is newer than its sources.
cc_prog() {
	local out=$1; shift
	local srcs=() flags=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do srcs+=("$1"); shift; done
	[ "${1:-}" == -- ] && shift
	flags=("$@")
	local newer=0 s
	[ -e "$out" ] || newer=1
	for s in "${srcs[@]}"; do [ "$s" -nt "$out" ] && newer=1; done
	[ "$newer" = 1 ] || return 0
	mkdir -p "$(dirname "$out")"
	${CC:-gcc} -O1 -g -Wall -o "$out" "${srcs[@]}" "${flags[@]}"
}

is_root() { [ "$(id -u)" = 0 ]; }

# nobody_reaches DIR: uid 65534, holding no capability, can reach DIR
# (every directory above it searchable). A checkout in a private home
# (/root is mode 700) is out of its reach. Needs root. (setpriv would not
# show it: it keeps its capabilities up to the execve.)
nobody_reaches() {
	cc_prog "$T/asuser" "$ROOT/tests/security/progs/asuser.c" -- -static
	"$T/asuser" 65534 65534 /usr/bin/test -x "$1" 2>/dev/null
}

# The simulated NixOS's glibc (SIM_GLIBC): "nix", the Nix-built glibc
# 2.36 of ../shared/nixglibc, whose ld.so reads its cache from
# /nix/store/<hash>-glibc-2.36/etc/ld.so.cache (70 bytes of room, as on
# NixOS) and searches only its own lib directory; or "debian", this
# machine's (16 bytes of room: no cache but a system-wide one fits, so
# every start through a NIX_LD_LIBRARY_PATH is the last resort). "nix"
# wherever the tarball is; cross-architecture suites use Debian's cross
# glibc (nixglibc is x86_64 only).
NIXGLIBC_TAR=$SHARED/nixglibc/glibc-2.36-nix.tar.xz
NIX_GLIBC=8m1s7yq4f0sbzdhy8lq5z0ab5xgpwcxh-glibc-2.36
if [ -z "${SIM_GLIBC:-}" ]; then
	if [ -e "$NIXGLIBC_TAR" ]; then SIM_GLIBC=nix; else SIM_GLIBC=debian; fi
fi
# The store the simulation sees at /nix/store (tests/nixos-sim), and the
# store path of its NixOS system (/run/current-system there).
NIXSTORE=$T/nixstore
# The test store (below): one per glibc, so suites of either kind can
# follow each other.
if [ "$SIM_GLIBC" = nix ]; then STORE=$T/store; else STORE=$T/store-debian; fi
STORE_LDSO=$STORE/lib/ld-linux-x86-64.so.2
# Where a program in the simulation gets its libc from.
if [ "$SIM_GLIBC" = nix ]; then SIM_LIBC=/nix/store/$NIX_GLIBC/lib/libc.so.6; else SIM_LIBC=$STORE/lib/libc.so.6; fi
SIM_SYSTEM=1111111111111111111111111111111s-nixos-system-sim
# Where the NixOS module puts the library directory, its ld.so and cache:
# what ldshim uses when no NIX_LD* variable is set.
SYSTEM_LIB=/run/current-system/sw/share/nix-ld/lib

# The store: $STORE/lib is the directory a NIX_LD_LIBRARY_PATH names,
# holding the libraries of any program given to store_add (copied: the
# namespace hides the system's), and the real ld.so ($STORE_LDSO, a copy). With
# the Nix glibc, its libc and other glibc libraries are not there: its
# ld.so finds them in its own directory, /nix/store/<hash>-glibc-2.36/lib,
# as on NixOS, so a program must run in the simulation to start with it.
store_init() {
	mkdir -p "$STORE/lib"
	if [ "$SIM_GLIBC" = nix ]; then
		# A store made before the simulation used the Nix glibc.
		[ -e "$STORE/lib/libc.so.6" ] && rm -rf "${STORE:?}/lib" && mkdir -p "$STORE/lib"
		if [ ! -e "$NIXSTORE/$NIX_GLIBC/lib/libc.so.6" ]; then
			mkdir -p "$NIXSTORE"
			tar -xJf "$NIXGLIBC_TAR" -C "$NIXSTORE"
		fi
		[ -e "$STORE_LDSO" ] || cp "$NIXSTORE/$NIX_GLIBC/lib/ld-linux-x86-64.so.2" "$STORE_LDSO"
		echo "$NIX_GLIBC" > "$NIXSTORE/.glibc"
		echo "$SIM_SYSTEM" > "$NIXSTORE/.system"
	else
		[ -e "$STORE_LDSO" ] || cp -L "$REAL_LDSO" "$STORE_LDSO"
	fi
	store_add /bin/sh   # libc.so.6 (Debian's glibc only)
}
# is_glibc_lib NAME: a library the Nix glibc provides itself (its ld.so
# and a Debian libc must never meet).
is_glibc_lib() {
	[ "$SIM_GLIBC" = nix ] && [ -e "$NIXSTORE/$NIX_GLIBC/lib/$1" ]
}
store_add() {
	local p lib
	for p in "$@"; do
		ldd "$p" 2>/dev/null | awk '/=> \//{print $3}' | while read -r lib; do
			is_glibc_lib "$(basename "$lib")" && continue
			[ -e "$STORE/lib/$(basename "$lib")" ] || cp -L "$lib" "$STORE/lib/"
		done
	done
}

# sim_system NAME DIR...: a NixOS system in the simulation's store whose
# module directory holds the libraries of the DIRs (the first DIR that has
# a name wins) and the module's cache (tests/nixos-sim-system); run
# "$SIM" --current-system /nix/store/NAME for a system cache start with it.
sim_system() { "$ROOT/tests/nixos-sim-system" "$NIXSTORE" "$@"; }

# Mount options of tests/nixos-sim that leave no cache home writable
# (XDG_RUNTIME_DIR unset): a start through a user's path is the last
# resort. /tmp and /dev/shm are fresh (empty) before they are made
# read-only: a cache home an earlier start left in the machine's /tmp
# would still serve.
NO_CACHE_HOME=(--tmpfs /tmp --tmpfs /dev/shm --read-only /run --read-only /tmp --read-only /dev/shm)

# start_kind ENV...: which start a program gets in the simulation with
# exactly these variables, in ldshim's own words at NIX_LD_LOG=info:
# "system cache" (the module's, at the default path), "named cache",
# "automatic cache" (written by ldshim in a cache home), or "last resort"
# (no cache used).
# With --sim OPTION... -- first, those are tests/nixos-sim's options.
start_kind() {
	cc_prog "$T/hello" "$ROOT/tests/progs/hello.c"
	local log opts=()
	if [ "${1:-}" = --sim ]; then
		shift
		while [ "$1" != -- ]; do opts+=("$1"); shift; done
		shift
	fi
	log=$(env -i "$@" NIX_LD_LOG=info "$SIM" "${opts[@]}" -- "$T/hello" 2>&1 >/dev/null)
	case $log in
	*"served by the library cache $SYSTEM_LIB/ld.so.cache"*) echo "system cache" ;;
	*"served by the library cache "*"/ldshim/"*) echo "automatic cache" ;;
	*"served by the library cache "*) echo "named cache" ;;
	*) echo "last resort" ;;
	esac
}
# say_start WHAT [--sim OPTION... --] ENV...: the suite's first line, naming the start its
# default case exercises (as ldshim reports it) and the simulation's glibc.
say_start() {
	local what=$1; shift
	echo "# start: $(start_kind "$@") ($what; $SIM_GLIBC glibc)"
}

# sim CMD ARGS...: run inside the simulated NixOS with the caller's
# environment (use `env -i ...` inside the command line to control it).
sim() { "$SIM" -- "$@"; }
# The environment a NixOS user has: where the real ld.so and the
# libraries are.
NIX_ENV=("NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$STORE/lib")
