# The trampoline, read by a disassembler: it may only touch scratch
# registers, must keep rdx (rtld_fini), zero rbp, switch the stack at most
# once and leave by an indirect jmp (DESIGN: transparency 4). Checked in
# the file, and in a live process where the bytes at AT_ENTRY are captured
# before ld.so jumps there. Rules: tests/trampoline/tramp-check.c.
. "$(dirname "$0")/../lib.sh"
src=$ROOT/tests/trampoline
D=$T/trampoline
CAP=$STORE/entry-capture/lib
if ! echo "#include <capstone/capstone.h>" | ${CC:-gcc} -E -x c - >/dev/null 2>&1; then
	skip capstone "libcapstone-dev is not installed (apt-get install libcapstone-dev)"
	exit 0
fi
cc_prog "$D/tramp-check" "$src/tramp-check.c" -- -lcapstone
cc_prog "$CAP/libentrycapture.so.1" "$src/entry-capture.c" -- -shared -fPIC -Wl,-soname,libentrycapture.so.1
# Nothing of the library is used: keep it needed all the same.
cc_prog "$D/entry-probe" "$src/entry-probe.c" -- -Wl,--no-as-needed -L"$CAP" -l:libentrycapture.so.1

# show CASE OUTPUT RC: pass on rc 0, else fail with the checker's report.
show() {
	if [ "$3" = 0 ]; then pass "$1"; else
		fail "$1" "expected the trampoline to keep the rules (tramp-check exit 0), got exit $3:"
		printf '%s\n' "$2" | sed 's/^/    /'
	fi
}

# (a) The symbol's bytes in build/ldshim.
out=$("$D/tramp-check" elf "$LDSHIM" 2>&1); show trampoline-in-file "$out" $?

# The checker must reject what breaks a rule, or its "ok" means nothing.
while read -r name hex; do
	out=$("$D/tramp-check" hex "$hex" 2>&1); rc=$?
	if [ "$rc" = 1 ]; then pass "checker-rejects-$name"
	else fail "checker-rejects-$name" "expected exit 1 for $hex, got $rc: $out"; fi
done <<'CASES'
rdx-write     31ed4889c2ffe0
dl-write      31ed88f2ffe0
rdtsc         31ed0f31ffe0
rbx-write     31ed4889c3ffe0
push          31ed50ffe0
call          31ede800000000ffe0
ret-at-end    31edc3
rbp-not-xor   bd00000000ffe0
no-rbp-zero   4889c1ffe0
rsp-twice     31ed4889c44889c4ffe0
rsp-by-sub    31ed4883ec08ffe0
branch-out    31edeb10ffe0
syscall       31ed0f05ffe0
CASES
out=$("$D/tramp-check" hex 31edff6008 2>&1); rc=$?
check_eq checker-accepts-minimal "ok: 2 instructions rc=0" "$out rc=$rc"

is_root || { skip trampoline-live "needs root for the simulated NixOS"; exit 0; }
store_init
# The live cases need the trampoline in the path: the last resort (no
# cache home: NO_CACHE_HOME), where a slot is lent.
say_start "a user's NIX_LD_LIBRARY_PATH, no cache home" --sim "${NO_CACHE_HOME[@]}" -- "${NIX_ENV[@]}"

# (b) Live: the bytes at AT_ENTRY while constructors run, and AT_ENTRY from
# main. Both ways of lending an envp slot (NIX_LD*, user LD_LIBRARY_PATH).
live() {   # NAME ENV...
	local name=$1; shift
	rm -f "$D/$name.raw"
	out=$(env -i "$@" "$SIM" --ldshim "$LDSHIM" "${NO_CACHE_HOME[@]}" -- "$D/entry-probe" "$D/$name.raw" 2>&1); rc=$?
	check_eq "$name-main-entry" "AT_ENTRY is _start
rc=0" "$out
rc=$rc"
	if [ ! -s "$D/$name.raw" ]; then
		fail "$name-trampoline-live" "expected the constructor to capture bytes at AT_ENTRY in $D/$name.raw, got none"
		return
	fi
	out=$("$D/tramp-check" mem "$D/$name.raw" "$LDSHIM" 2>&1); show "$name-trampoline-live" "$out" $?
}
nixpath=$STORE/lib:$CAP
live nix-slot NIX_LD="$STORE_LDSO" NIX_LD_LIBRARY_PATH="$nixpath"
live user-slot NIX_LD="$STORE_LDSO" LD_LIBRARY_PATH=/nonexistent NIX_LD_LIBRARY_PATH="$nixpath"

# Control: started by the real ld.so (outside the simulation), a
# constructor sees the program's own _start at AT_ENTRY, which is no
# trampoline: the live check must say so.
rm -f "$D/direct.raw"
LD_LIBRARY_PATH=$CAP "$D/entry-probe" "$D/direct.raw" >/dev/null 2>&1
out=$("$D/tramp-check" mem "$D/direct.raw" "$LDSHIM" 2>&1); rc=$?
if [ "$rc" = 1 ]; then pass control-direct-entry-rejected
else fail control-direct-entry-rejected "expected tramp-check to reject the bytes of _start (exit 1), got $rc: $out"; fi
