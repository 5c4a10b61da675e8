# The cross-architecture suite, run by t-<arch>.sh for one ARCH under
# qemu-user (see cross.sh for the simulated NixOS). Every case name ends
# in -<arch>. Differential cases run the probe twice, directly under the
# real ld.so and through ldshim, with the same environment, and compare.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/cross.sh"

cross_suite() {
	local a=$1 out exp rc
	if ! cross_init "$a"; then skip "cross-$a" "$CROSS_WHY"; return 0; fi
	command -v patchelf >/dev/null || { skip "cross-$a" "no patchelf (apt-get install patchelf)"; return 0; }
	if ! cross_build; then fail "build-$a" "$CROSS_WHY"; return 0; fi
	pass "build-$a"   # make's link step refuses any dynamic relocation

	local src=$ROOT/tests/cross
	xcc "$XT/hello" "$ROOT/tests/progs/hello.c"
	xcc "$XT/probe" "$src/probe.c" "$src/entry-$a.S" -- -Wl,-e,probe_entry -ldl
	xstore_init
	xcc "$XSTORE/lib/libcrossgreet.so" "$src/greet.c" -- -shared -fPIC
	xcc "$XT/greetprog" "$src/greetprog.c" -- -L"$XSTORE/lib" -lcrossgreet
	xdirect "$XT/probe.direct" "$XT/probe"
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

	# The four environment cases: every view, direct vs through ldshim,
	# and the environment two children inherit.
	diffcase "ld-library-path-only-$a" A=1 "LD_LIBRARY_PATH=$XSTORE/lib" "NIX_LD=$XSTORE_LDSO" B=2
	diffcase "nix-library-path-only-$a" A=1 "NIX_LD=$XSTORE_LDSO" "NIX_LD_LIBRARY_PATH=$XSTORE/lib" B=2
	diffcase "both-$a" "NIX_LD_LIBRARY_PATH=$XSTORE/lib" A=1 "LD_LIBRARY_PATH=/nonexistent/user" "NIX_LD_${XSYS}=$XSTORE_LDSO"
	diffcase "duplicate-ld-library-path-$a" "LD_LIBRARY_PATH=/a" "NIX_LD=$XSTORE_LDSO" "LD_LIBRARY_PATH=/b" "NIX_LD_LIBRARY_PATH=$XSTORE/lib"

	# Neither: no slot to lend, so ld.so runs on a copy with one more envp
	# entry and the trampoline builds the program a pristine image. Needs
	# a build whose defaults point at the store.
	local dflt=$XT/default
	if make -s -C "$ROOT" ARCH="$a" B="$dflt" DEFAULT_NIX_LD="$XSTORE_LDSO" \
	        DEFAULT_NIX_LD_LIBRARY_PATH="$XSTORE/lib" >"$XT.make-default.log" 2>&1; then
		XROOT=$XT/root-default
		xroot_init "$dflt/ldshim"
		diffcase "neither-$a" A=1 B=2 "C=three"
		diffcase "empty-env-$a"
		XROOT=$XT/root
	else
		fail "neither-$a" "build with DEFAULT_NIX_LD failed: $(tail -3 "$XT.make-default.log")"
	fi

	# Run as a command (AT_BASE 0): the library path goes to ld.so on its
	# command line.
	out=$(xrun FOO=bar "${NIX[@]}" -- "$XLDSHIM" "$XT/hello" 2>&1)
	check_eq "explicit-$a" "hello from a foreign program
env FOO=bar
env NIX_LD=$XSTORE_LDSO
env NIX_LD_LIBRARY_PATH=$XSTORE/lib" "$out"

	skip "proc-self-environ-$a" "under qemu-user /proc/self/environ is the host qemu process's (its own initial stack, here empty: env -i), not the guest's stack image, so it cannot show what ldshim did; the x86_64 suite measures it"
}

# diffcase CASE [VAR=VALUE...]: the probe's views and its children's
# environment through ldshim equal a direct run's; ldshim's entry state
# has a zero frame pointer (direct runs may not: riscv64's ld.so jumps
# with s0 = the entry address). x- lines are not compared: besides the
# frame pointer, whether environ is the very envp array at the entry sp,
# which it cannot be when ld.so had to run on a copy (the neither case:
# environ is ld.so's envp, the sp image is the pristine copy below it;
# same bytes, other address), as on x86_64.
diffcase() {
	local c=$1; shift
	local d s
	d=$(XARGV0=probe xrun "$@" -- "$XT/probe.direct" children 2>&1)
	s=$(XARGV0=probe xrun "$@" -- "$XT/probe" children 2>&1)
	case $d in *"--- end 0"*) ;; *) fail "$c" "the direct run failed: $(printf '%s' "$d" | tail -3)"; return ;; esac
	check_eq "$c" "$(grep -v '^x-' <<<"$d")" "$(grep -v '^x-' <<<"$s")"
	grep -q '^x-fp-zero: yes$' <<<"$s" || fail "$c-frame-pointer" "expected a zero frame pointer at the entry, got: $(grep '^x-fp' <<<"$s")"
}
