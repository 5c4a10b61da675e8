# The simulated NixOS hides the system loader, and ldshim starts a foreign
# program there with libraries from the store only. Starts: the system
# cache (no NIX_LD* variable: the module's cache at the default path), the
# automatic cache (a user's NIX_LD_LIBRARY_PATH and XDG_RUNTIME_DIR) and
# the last resort (a user's path, nowhere to write a cache); each as
# ldshim reports it.
. "$(dirname "$0")/../lib.sh"
cc_prog "$T/hello" tests/progs/hello.c
is_root || { skip sim-hides-loader "needs root for the mount namespace"; exit 0; }
store_init
say_start "no NIX_LD* variable"

out=$("$SIM" --ldshim /dev/null -- "$T/hello" 2>&1)
case $out in *"No such file"*|*"Exec format error"*|*"cannot execute"*|*"Permission denied"*) pass sim-hides-loader ;;
*) fail sim-hides-loader "expected the program not to start without ldshim, got: $out" ;; esac

out=$(env -i "${NIX_ENV[@]}" "$SIM" -- "$T/hello" 2>&1)
check_eq hello-through-ldshim "hello from a foreign program
env NIX_LD=$STORE_LDSO
env NIX_LD_LIBRARY_PATH=$STORE/lib" "$out"

if [ "$SIM_GLIBC" = nix ]; then
	out=$(env -i NIX_LD_LOG=info "$SIM" -- "$T/hello" 2>&1)
	case $out in *"served by the library cache $SYSTEM_LIB/ld.so.cache: nothing injected"*"hello from a foreign program"*) pass default-start-system-cache ;;
	*) fail default-start-system-cache "expected the module's cache at $SYSTEM_LIB, got: $out" ;; esac
	XR=$T/smoke-xr; rm -rf "$XR"; mkdir -m 700 "$XR"
	check_eq start-kind-automatic "automatic cache" "$(start_kind "${NIX_ENV[@]}" "XDG_RUNTIME_DIR=$XR")"
	# No cache home can be written: the last resort.
	out=$(env -i "${NIX_ENV[@]}" NIX_LD_LOG=info "$SIM" "${NO_CACHE_HOME[@]}" -- "$T/hello" 2>&1)
	case $out in *"served by the library cache"*) fail start-kind-last-resort "expected no cache, got: $out" ;;
	*"hello from a foreign program"*) pass start-kind-last-resort ;;
	*) fail start-kind-last-resort "expected hello through the last resort, got: $out" ;; esac
else
	skip default-start-system-cache "no $NIXGLIBC_TAR: the simulation runs on Debian's glibc, whose ld.so has no room for the module's cache"
fi

out=$(env -i "$SIM" --no-current-system -- "$T/hello" 2>&1); rc=$?
check_eq missing-default-ldso "$T/hello: ldshim: /run/current-system/sw/share/nix-ld/lib/ld.so: No such file or directory
rc=127" "$out
rc=$rc"
