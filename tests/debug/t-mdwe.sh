# Memory-deny-write-execute (systemd's MemoryDenyWriteExecute=, prctl
# PR_SET_MDWE): code that was made writable may not become executable
# again, so the _dl_debug_state patch cannot be sealed. The program must
# still start, unpatched, in both modes, as it does under the real ld.so.
. "$(dirname "$0")/../lib.sh"
cc_prog "$T/hello" tests/progs/hello.c
cc_prog "$T/mdwe" tests/debug/mdwe.c
is_root || { skip mdwe "needs root for the simulated NixOS"; exit 0; }
store_init
say_start "a user's NIX_LD_LIBRARY_PATH, no XDG_RUNTIME_DIR" "${NIX_ENV[@]}"
"$T/mdwe" /bin/true 2>/dev/null; rc=$?
[ $rc = 77 ] && { skip mdwe "the kernel has no PR_SET_MDWE (Linux >= 6.3)"; exit 0; }
for mode in fallback override; do
	out=$(env -i NIX_LD="$STORE_LDSO" NIX_LD_LIBRARY_PATH="$STORE/lib" NIX_LD_MODE=$mode \
		"$SIM" -- "$T/mdwe" "$T/hello" 2>&1; echo "exit $?")
	check_eq "mdwe-starts-$mode" "hello from a foreign program
env NIX_LD=$STORE_LDSO
env NIX_LD_LIBRARY_PATH=$STORE/lib
env NIX_LD_MODE=$mode
exit 0" "$out"
done
out=$(env -i NIX_LD="$STORE_LDSO" NIX_LD_LIBRARY_PATH="$STORE/lib" NIX_LD_LOG=debug \
	"$SIM" -- "$T/mdwe" "$T/hello" 2>&1 >/dev/null)
# Without a debugger ld.so's code is never made writable, so nothing
# stands in memory-deny-write-execute's way (under gdb the patch is
# tried, and mapped afresh unpatched when the kernel refuses).
case $out in *"_dl_debug_state not patched: no debugger"*) pass mdwe-patch-skipped-and-said ;;
*) fail mdwe-patch-skipped-and-said "expected the debug log to say the patch was not made, got: $out" ;; esac
