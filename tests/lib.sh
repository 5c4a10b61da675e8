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
STORE=$T/store                     # the simulated Nix store
SIM=$ROOT/tests/nixos-sim
INTERP=/lib64/ld-linux-x86-64.so.2
# The real glibc ld.so of this machine (resolved before any namespace
# hides /lib64), and its copy in the store that ldshim is told to use.
REAL_LDSO=$(readlink -f "$INTERP")
STORE_LDSO=$STORE/lib/ld-linux-x86-64.so.2
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

# The store: the real ld.so and libc, plus the libraries of any program
# given to store_add, copied (the namespace hides the system's).
store_init() {
	mkdir -p "$STORE/lib"
	[ -e "$STORE_LDSO" ] || cp -L "$REAL_LDSO" "$STORE_LDSO"
	store_add /bin/sh   # libc.so.6
}
store_add() {
	local p lib
	for p in "$@"; do
		ldd "$p" 2>/dev/null | awk '/=> \//{print $3}' | while read -r lib; do
			[ -e "$STORE/lib/$(basename "$lib")" ] || cp -L "$lib" "$STORE/lib/"
		done
	done
}

# sim CMD ARGS...: run inside the simulated NixOS with the caller's
# environment (use `env -i ...` inside the command line to control it).
sim() { "$SIM" -- "$@"; }
# The environment a NixOS user has: where the real ld.so and the
# libraries are.
NIX_ENV=("NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$STORE/lib")
