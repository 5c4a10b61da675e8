# The simulated NixOS hides the system loader, and ldshim starts a foreign
# program there with libraries from the store only.
. "$(dirname "$0")/../lib.sh"
cc_prog "$T/hello" tests/progs/hello.c
is_root || { skip sim-hides-loader "needs root for the mount namespace"; exit 0; }
store_init

out=$("$SIM" --ldshim /dev/null -- "$T/hello" 2>&1)
case $out in *"No such file"*|*"Exec format error"*|*"cannot execute"*|*"Permission denied"*) pass sim-hides-loader ;;
*) fail sim-hides-loader "expected the program not to start without ldshim, got: $out" ;; esac

out=$(env -i "${NIX_ENV[@]}" "$SIM" -- "$T/hello" 2>&1)
check_eq hello-through-ldshim "hello from a foreign program
env NIX_LD=$STORE_LDSO
env NIX_LD_LIBRARY_PATH=$STORE/lib" "$out"

out=$(env -i "$SIM" -- "$T/hello" 2>&1); rc=$?
check_eq missing-default-ldso "$T/hello: ldshim: /run/current-system/sw/share/nix-ld/lib/ld.so: No such file or directory
rc=127" "$out
rc=$rc"
