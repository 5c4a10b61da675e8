# The cross-architecture suite, run by t-<arch>.sh for one ARCH under
# qemu-user (see cross.sh for the simulated NixOS). Every case name ends
# in -<arch>. The same suite as x86_64's, each part in a file of its own:
#   here             start-up, a store-only library, ld.so's error, explicit
#   transparency.sh  tests/transparency's differential cases (cases.sh)
#   libs.sh          tests/libs: DT_NEEDED, dlopen, a missing library,
#                    children's environment, the poisoned mixed tree
#   fallback.sh      tests/fallback: both search orders, ldd, the trace;
#                    tests/cache: the library cache
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/cross.sh"
. "$(dirname "${BASH_SOURCE[0]}")/transparency.sh"
. "$(dirname "${BASH_SOURCE[0]}")/libs.sh"
. "$(dirname "${BASH_SOURCE[0]}")/fallback.sh"

cross_suite() {
	local a=$1 out exp rc
	if ! cross_init "$a"; then skip "cross-$a" "$CROSS_WHY"; return 0; fi
	command -v patchelf >/dev/null || { skip "cross-$a" "no patchelf (apt-get install patchelf)"; return 0; }
	if ! cross_build; then fail "build-$a" "$CROSS_WHY"; return 0; fi
	pass "build-$a"   # make's link step refuses any dynamic relocation

	local src=$ROOT/tests/cross
	xcc "$XT/hello" "$ROOT/tests/progs/hello.c"
	xstore_init
	xcc "$XSTORE/lib/libcrossgreet.so" "$src/greet.c" -- -shared -fPIC
	xcc "$XT/greetprog" "$src/greetprog.c" -- -L"$XSTORE/lib" -lcrossgreet
	local NIX=("NIX_LD=$XSTORE_LDSO" "NIX_LD_LIBRARY_PATH=$XSTORE/lib")

	# The simulated NixOS: without ldshim the program does not start.
	XROOT=$XT/root
	xroot_init /dev/null
	out=$(xrun "${NIX[@]}" -- "$XT/hello" 2>&1)
	case $out in *"hello from"*) fail "sim-hides-loader-$a" "the program started without ldshim: $out" ;;
	*) pass "sim-hides-loader-$a" ;; esac

	xroot_init
	out=$(xrun FOO=bar "${NIX[@]}" -- "$XT/hello" 2>&1)
	check_eq "hello-$a" "hello from a foreign program
env FOO=bar
env NIX_LD=$XSTORE_LDSO
env NIX_LD_LIBRARY_PATH=$XSTORE/lib" "$out"

	# The starts this architecture has. Its glibc is Debian's cross glibc
	# (the Nix-built one of ../shared/nixglibc is x86_64 only), whose
	# ld.so has 16 bytes of room for a cache path: neither the module's
	# system cache nor an automatic cache fits. A cache named at a short
	# path (fallback.sh) and the last resort are what it can have; with
	# XDG_RUNTIME_DIR set the start still takes the last resort.
	local xr=$XT/xr
	rm -rf "$xr"; mkdir -m 700 "$xr"
	out=$(xrun NIX_LD_LOG=info "XDG_RUNTIME_DIR=$xr" "${NIX[@]}" -- "$XT/hello" 2>&1)
	case $out in
	*"served by the library cache"*) fail "start-kind-$a" "expected no cache to fit Debian's ld.so, got: $out" ;;
	*"hello from a foreign program"*)
		pass "start-kind-$a"
		echo "# start ($a): last resort; named cache in fallback.sh (Debian's cross glibc: its ld.so has 16 bytes of room, no system or automatic cache)" ;;
	*) fail "start-kind-$a" "expected hello through the last resort, got: $out" ;;
	esac

	# A DT_NEEDED library that only the store has; the control without the
	# store on the path shows ld.so's own error.
	out=$(xrun "${NIX[@]}" -- "$XT/greetprog" 2>&1)
	check_eq "store-only-library-$a" "greetings from a store-only library" "$out"
	mkdir -p "$XT/libc-only"
	cp -u "$XSTORE/lib/libc.so.6" "$XT/libc-only/"
	out=$(xrun "NIX_LD=$XSTORE_LDSO" "NIX_LD_LIBRARY_PATH=$XT/libc-only" -- "$XT/greetprog" 2>&1); rc=$?
	case "$rc $out" in "127 "*"libcrossgreet.so: cannot open shared object file"*) ;;
	*) fail "store-only-library-$a" "control (libc only on the path): expected ld.so's error for libcrossgreet.so and 127, got $rc: $out" ;; esac
	out=$(xrun "NIX_LD=$XSTORE_LDSO" "NIX_LD_LIBRARY_PATH=/nonexistent" -- "$XT/greetprog" 2>&1); rc=$?
	case "$rc $out" in "127 "*"cannot open shared object file"*) pass "missing-library-is-ldso-error-$a" ;;
	*) fail "missing-library-is-ldso-error-$a" "expected ld.so's error and 127, got $rc: $out" ;; esac

	# The debugger hook: ld.so's _dl_debug_state patched into a jump to
	# ldshim's (README, Debugging), only when a debugger's breakpoint is in
	# ldshim's; none here. ldshim's debug log says whether it did.
	out=$(xrun "${NIX[@]}" NIX_LD_LOG=debug -- "$XT/hello" 2>&1 >/dev/null | grep _dl_debug_state)
	if [ "$a" = riscv64 ]; then
		case $out in *"not patched"*) skip "debug-state-hook-$a" "riscv64's ld.so _dl_debug_state is a 2-byte c.ret followed by the next function; no jump to ldshim fits (c.j reaches +-2 KiB), so it is left alone and gdb does not hear of library loads" ;;
		*) fail "debug-state-hook-$a" "expected ldshim to leave riscv64's _dl_debug_state alone, got: $out" ;; esac
	else
		check_eq "debug-state-hook-$a" "ldshim: ld.so's _dl_debug_state not patched: no debugger's breakpoint in ldshim's" "$out"
	fi
	skip "debuggers-$a" "gdb, valgrind, perf and strace run natively in the x86_64 suite only (under qemu-user they would see qemu, or need its gdb stub and gdb-multiarch); here the hook is checked through ldshim's log"

	# Run as a command (AT_BASE 0): the library path goes to ld.so on its
	# command line.
	out=$(xrun FOO=bar "${NIX[@]}" -- "$XLDSHIM" "$XT/hello" 2>&1)
	check_eq "explicit-$a" "hello from a foreign program
env FOO=bar
env NIX_LD=$XSTORE_LDSO
env NIX_LD_LIBRARY_PATH=$XSTORE/lib" "$out"

	# Library caches live at short names: Debian's ld.so has room for a
	# 16-byte cache path.
	XK=$(mktemp -d /tmp/lsc.XXXX); chmod 755 "$XK"
	trap 'rm -rf "$XK"' EXIT
	cross_transparency
	cross_libs
	cross_poison
	cross_fallback
	cross_cache
}

