# valgrind memcheck on a program whose interpreter is ldshim, inside the
# simulated NixOS: valgrind loads the interpreter itself and runs ldshim
# and the trampoline under emulation. No error may come from them; the
# program's own leak must still be found; the program must see the same
# environment as under valgrind with the real ld.so as interpreter.
# Debian's glibc as the simulation's (SIM_GLIBC=debian): its ld.so and
# libc have the symbols (libc6-dbg) this suite names frames and checks
# with; the Nix-built glibc of ../shared/nixglibc is stripped.
SIM_GLIBC=debian
. "$(dirname "$0")/../lib.sh"
command -v valgrind >/dev/null || { skip valgrind "valgrind is not installed (apt-get install valgrind)"; exit 0; }
is_root || { skip valgrind "needs root for the simulated NixOS"; exit 0; }
src=$ROOT/tests/debug
D=$T/debug
L=$STORE/debug/lib
cc_prog "$L/libtool.so.1" "$src/libtool.c" -- -shared -fPIC -Wl,-soname,libtool.so.1
cc_prog "$D/toolprog" "$src/toolprog.c" -- -L"$L" -l:libtool.so.1
store_init
say_start "a user's NIX_LD_LIBRARY_PATH, no XDG_RUNTIME_DIR" "${NIX_ENV[@]}"
# Debian's /usr/bin/valgrind is a sh script (it appends /usr/lib/debug to
# LD_LIBRARY_PATH) that runs valgrind.bin; both are foreign in the sim.
store_add /bin/sh "$(command -v valgrind).bin"
VG=$(command -v valgrind)
# The user's LD_LIBRARY_PATH finds libtool in both runs, so the direct run
# needs no help and the environments can be compared byte for byte.
ENVV=(HOME=/root PATH=/usr/bin:/bin "LD_LIBRARY_PATH=$L" "NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$STORE/lib")

# Start kinds: the last resort (Debian's ld.so has no room for an
# automatic cache's name), override mode, and a library cache. None loads
# anything of ldshim's into the process: no suppressions are needed (an
# audit module would need two: checked below against a one-line one run
# without ldshim, the reason ldshim has none).
VGOPT=()
vg() { "$@" "$VG" "${VGOPT[@]}" --error-exitcode=99 --leak-check=full "$D/toolprog" leak 2>&1; echo "exit $?"; }
direct=$(vg env -i "${ENVV[@]}")
viasim=$(vg env -i "${ENVV[@]}" "$SIM" --)
override=$(vg env -i "${ENVV[@]}" NIX_LD_MODE=override "$SIM" --)
cc_prog "$D/audit-nop.so" "$src/audit-nop.c" -- -shared -fPIC
VGOPT=()
directaudit=$(vg env -i "${ENVV[@]}" "LD_AUDIT=$D/audit-nop.so")
# A library cache for the Nix path: no audit module at all. (Debian's
# ld.so has room for a 16-byte cache path.)
K=$(mktemp -d /tmp/lsc.XXXX); trap 'rm -rf "$K"' EXIT
"$BUILD/ldshim-cache" -o "$K/c" "$STORE/lib" >/dev/null
cached=$(vg env -i "${ENVV[@]}" NIX_LD_LIBRARY_CACHE="$K/c" NIX_LD_LOG=info "$SIM" --)
# Only memcheck's errors, without pids and addresses.
errors() { printf '%s\n' "$1" | sed -n 's/^==[0-9]*== //p' | sed 's/ (suppressed: .*//' | grep -E 'Invalid|uninitialised|Conditional|Syscall param|Mismatched|overlap|definitely lost in|ERROR SUMMARY'; }

case $viasim in *"4,242 bytes in 1 blocks are definitely lost"*"by 0x"*": main (toolprog.c:"*) pass valgrind-finds-leak ;;
*) fail valgrind-finds-leak "expected the 4,242-byte leak from main reported as definitely lost, got: $viasim" ;; esac
check_eq valgrind-errors-as-direct "$(errors "$direct")" "$(errors "$viasim")"
case $(errors "$viasim") in *"ERROR SUMMARY: 1 errors from 1 contexts"*) pass valgrind-only-the-leak ;;
*) fail valgrind-only-the-leak "expected one error (the leak), got: $(errors "$viasim")" ;; esac
# (The checkout's own path may contain "ldshim": it is taken out first.)
named=$(printf '%s\n' "${viasim//"$ROOT"/<checkout>}" | grep -E 'ldshim|trampoline|/lib64/ld-linux')
if [ -n "$named" ]; then
	fail valgrind-nothing-in-ldshim "valgrind names ldshim or its trampoline: $named"
else pass valgrind-nothing-in-ldshim; fi
check_eq valgrind-override-mode-as-direct "$(errors "$direct")" "$(errors "$override")"
case $(errors "$directaudit") in *"Invalid free()"*"ERROR SUMMARY: 3 errors from 3 contexts"*) pass valgrind-any-audit-module-two-invalid-frees ;;
*) fail valgrind-any-audit-module-two-invalid-frees "expected the two invalid frees and the leak with a one-line audit module, got: $(errors "$directaudit")" ;; esac
case $cached in *"served by the library cache"*) check_eq valgrind-cache-mode-as-direct "$(errors "$direct")" "$(errors "$cached")" ;;
*) fail valgrind-cache-mode-as-direct "expected the start to use the library cache, got: $cached" ;; esac
check_eq valgrind-program-output-and-env "$(printf '%s\n' "$direct" | grep -E '^(toolprog|env|exit) ')" \
	"$(printf '%s\n' "$viasim" | grep -E '^(toolprog|env|exit) ')"

# A program without a leak: exit 0, no error at all.
out=$(env -i "${ENVV[@]}" "$SIM" -- "$VG" -q --error-exitcode=99 --leak-check=full "$D/toolprog" calls 2>&1; echo "exit $?")
check_eq valgrind-clean-run "toolprog: open gave -1, lib 1
exit 0" "$out"
