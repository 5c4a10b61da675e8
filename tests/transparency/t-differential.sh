# The transparency contract, differentially (DESIGN.md items 1-4 and 7):
# the probe prints every view it has of its start (argv, envp, environ,
# getenv, /proc/self/environ and cmdline, a posix_spawned child's envp, the
# stack image at the entry sp, auxv by every route, the entry registers).
# It runs twice with the same
# argv and the same byte-exact environment: directly under the real ld.so
# (the simulation's: the Nix glibc's, bound at the interpreter path, or
# the host's with SIM_GLIBC=debian), and through ldshim in the simulated
# NixOS. The outputs must be
# identical, line for line, except what is documented:
#
#   procauxv-differs        /proc/self/auxv keeps ldshim's AT_BASE (limit 7):
#                           "none" directly, "AT_BASE" through ldshim.
#   environ-at-stack,       when ldshim had to add an envp slot (no
#   environ-auxv            LD_LIBRARY_PATH and no NIX_LD* variable), ld.so
#                           ran on a copy of the stack image and the program's
#                           sp gets a pristine copy below it: `environ` is
#                           the copy's envp (not the one at sp), and its
#                           extra slot became a second NULL, so scanning for
#                           auxv after environ's NULL finds an empty auxv.
#                           Exactly that is expected in those cases; every
#                           other case must match the direct run here too.
#
# Each case also runs through the peer loader nix-ld 2.0.6 as a
# demonstration that the suite sees its leaks; the peer never fails the suite.
. "$(dirname "$0")/../lib.sh"
D=$T/transparency
P=$D/probe
SRC=$ROOT/tests/transparency
PEER=${PEER:-$SHARED/peers/nix-ld-rust-2.0.6}
cc_prog "$P" "$SRC/probe.c" "$SRC/entry-$ARCH.S" -- -Wl,-e,probe_entry || { fail build-probe "cc failed"; exit 0; }
cc_prog "$D/exec-env" "$SRC/exec-env.c" || { fail build-exec-env "cc failed"; exit 0; }
is_root || { skip differential "needs root for the mount namespace of tests/nixos-sim"; exit 0; }
store_init
# Through ldshim every case runs with no cache home (NO_CACHE_HOME): the
# last resort, where a slot is lent or added and the trampoline restores
# it; the cache-* cases name a cache, where nothing is injected.
say_start "a user's NIX_LD_LIBRARY_PATH, no cache home; the cache-* cases name a cache" --sim "${NO_CACHE_HOME[@]}" -- "${NIX_ENV[@]}"

# A second shim whose built-in defaults are the store's ld.so and
# libraries: the only way to start a program whose environment names
# neither (B= on the command line overrides the Makefile's B :=).
SHIM=$LDSHIM
[ -e "$SHIM" ] || { fail ldshim-built "expected $SHIM (run make), found nothing"; exit 0; }
SHIM_DEFAULT=$D/ldshim-default/ldshim
if ! make -s -C "$ROOT" B="$D/ldshim-default" DEFAULT_NIX_LD="$STORE_LDSO" \
	DEFAULT_NIX_LD_LIBRARY_PATH="$STORE/lib" all >"$D/make.log" 2>&1; then
	fail build-default-shim "make failed: $(tail -3 "$D/make.log")"
	exit 0
fi

W=$(mktemp -d); trap 'rm -rf "$W"' EXIT

# write_env FILE: the entries of E, NUL-separated (none: an empty file).
write_env() {
	: > "$1"
	[ ${#E[@]} = 0 ] || printf '%s\0' "${E[@]}" > "$1"
}

# run_probe OUT HOW: run the probe with argv A and environment E; HOW is
# "direct", or the shim file to use in the simulated NixOS. Fails with
# stderr and exit status in OUT.err.
run_probe() {
	local out=$1 how=$2 rc
	write_env "$W/env"
	if [ "$how" = direct ] && [ "$SIM_GLIBC" = nix ]; then
		# The same ld.so as through ldshim: the Nix glibc's, bound at
		# the interpreter path, started by the kernel.
		( "$SIM" --ldshim "$STORE_LDSO" --env-file "$W/env" -- "$P" "${A[@]}"; exit $? ) \
			> "$out" 2> "$out.err"
	elif [ "$how" = direct ]; then
		"$D/exec-env" "$W/env" "$P" "${A[@]}" > "$out" 2> "$out.err"
	else
		# (a subshell, so that a crash is reported into $out.err)
		# (ldshim with no cache home; the shims of the cache cases read
		# their cache in /tmp)
		local home=()
		[ "$how" = "$SHIM" ] || [ "$how" = "$SHIM_DEFAULT" ] && home=("${NO_CACHE_HOME[@]}")
		( "$SIM" --ldshim "$how" "${home[@]}" --env-file "$W/env" -- "$P" "${A[@]}"; exit $? ) \
			> "$out" 2> "$out.err"
	fi
	rc=$?
	[ "$rc" = 0 ] || echo "exit status $rc" >> "$out.err"
	return $rc
}

# The lines the test looks at on their own, and the rest.
SEPARATE='^(procauxv-differs|environ-at-stack|environ-auxv):'
common() { grep -Ev "$SEPARATE" "$1"; }
separate() { grep -E "$SEPARATE" "$1"; }

# show_diff A B: the first lines of a diff, indented.
show_diff() { diff "$1" "$2" | sed -n '1,30s/^/    /p'; }

# check NAME SHIM SLOT: one case. SLOT says what ldshim must do with the
# environment E: "lend" (an LD_LIBRARY_PATH or NIX_LD* entry exists),
# "add" (none does: the copied stack image) or "none" (the library cache:
# nothing is injected, every view as lend's).
check() {
	local name=$1 shim=$2 slot=$3 d="$W/$1.direct" s="$W/$1.shim" p="$W/$1.peer"
	if ! run_probe "$d" direct; then
		fail "$name" "the direct run failed: $(head -c 300 "$d.err")"
		return
	fi
	if ! run_probe "$s" "$shim"; then
		fail "$name" "expected the probe to run through ldshim, got: $(head -c 300 "$s.err")"
		return
	fi
	if [ -s "$s.err" ]; then
		fail "$name-stderr" "expected no stderr through ldshim, got: $(head -c 300 "$s.err")"
	fi
	if cmp -s <(common "$d") <(common "$s"); then pass "$name"; else
		fail "$name" "every view must be as in the direct run (- direct, + ldshim):"
		show_diff <(common "$d") <(common "$s")
	fi

	# Limit 7: the kernel's copy of auxv keeps the shim's AT_BASE.
	local want_pa="procauxv-differs: AT_BASE"
	check_eq "$name-procauxv" "direct: procauxv-differs: none
ldshim: $want_pa" "direct: $(grep '^procauxv-differs:' "$d")
ldshim: $(grep '^procauxv-differs:' "$s")"

	# environ as the envp of the image at the entry sp.
	local want view=$name-environ-view
	want=$(separate "$d" | grep -v '^procauxv-differs:')
	if [ "$slot" = add ]; then
		view=$name-environ-view-documented-added-slot
		# Documented: environ is the envp of ld.so's copy, whose
		# extra slot is now the NULL that ends it; the word after that
		# is the copy's own envp NULL, read as AT_NULL.
		local n
		n=$(sed -n 's/^stack-auxv: \([0-9]*\) entries$/\1/p' "$d")
		want="environ-at-stack: no
environ-auxv: 0 entries (entry stack: $n), differing from getauxval: none"
	fi
	check_eq "$view" "$want" \
		"$(separate "$s" | grep -v '^procauxv-differs:')"

	peer "$name" "$d" "$p"
}

# peer NAME DIRECT OUT: the same case through nix-ld 2.0.6. Its differences
# are reported as detected, never as a failure of ldshim's suite.
peer() {
	local name=$1 d=$2 p=$3
	[ -x "$PEER" ] || { skip "peer-nix-ld-$name" "$PEER not found"; return; }
	if ! run_probe "$p" "$PEER"; then
		skip "peer-nix-ld-$name" "the probe does not start through the peer: $(head -n1 "$p.err" | head -c 200) ($(tail -n1 "$p.err"))"
		return
	fi
	if cmp -s <(common "$d") <(common "$p"); then
		pass "peer-nix-ld-same-$name"
	else
		pass "peer-nix-ld-differs-$name"
		show_diff <(common "$d") <(common "$p") | sed -n 1,8p
	fi
}

# The library cache (Debian's ld.so has room for a 16-byte path) and a
# shim whose defaults name it.
K=$(mktemp -d /tmp/lsc.XXXX); chmod 755 "$K"
trap 'rm -rf "$W" "$K"' EXIT
STORE_CACHE=
# (built anew each run: make does not know that the cache's name, compiled
# in, changed)
rm -rf "$D/ldshim-cache-default"
if "$BUILD/ldshim-cache" -o "$K/c" "$STORE/lib" >/dev/null &&
   make -s -C "$ROOT" B="$D/ldshim-cache-default" DEFAULT_NIX_LD="$STORE_LDSO" \
	DEFAULT_NIX_LD_LIBRARY_PATH="$STORE/lib" DEFAULT_NIX_LD_LIBRARY_CACHE="$K/c" \
	all >"$D/make-cache.log" 2>&1; then
	STORE_CACHE=$K/c SHIM_CACHE_DEFAULT=$D/ldshim-cache-default/ldshim
else
	fail build-cache-default-shim "ldshim-cache or make failed: $(tail -3 "$D/make-cache.log" 2>/dev/null)"
fi
NIX_SYS=x86_64_linux STORE_LIB=$STORE/lib
cc_prog "$D/audit-nop.so" "$ROOT/tests/debug/audit-nop.c" -- -shared -fPIC
AUDIT_NOP=$D/audit-nop.so
. "$SRC/cases.sh"

# The cache cases above ran in cache mode (not the audit module's way,
# whose views are the same): ldshim says so.
if [ -n "$STORE_CACHE" ]; then
	out=$(env -i NIX_LD_LOG=info "$SIM" --ldshim "$SHIM_CACHE_DEFAULT" -- "$P" 2>&1 >/dev/null)
	case $out in *"served by the library cache $STORE_CACHE: nothing injected"*) pass cache-cases-in-cache-mode ;;
	*) fail cache-cases-in-cache-mode "expected the default shim to use $STORE_CACHE, got: $out" ;; esac
fi
