# NIX_LD_LOG: nothing on stderr by default; at info, which ld.so and why,
# the library path and the env case; at debug, the images too; an unknown
# level is a warning and the program still runs. Every line "ldshim: ...".
. "$(dirname "$0")/../lib.sh"
E=$T/errors
mkdir -p "$E"
cc_prog "$T/hello" tests/progs/hello.c
command -v patchelf >/dev/null || { skip log "patchelf not installed (make deps)"; exit 0; }
H=$E/hello-log
cp "$T/hello" "$H"
patchelf --set-interpreter "$LDSHIM" "$H"

# err ENV...: the program's stderr (its stdout dropped) and rc.
err() { env -i "$@" "$H" 2>&1 >/dev/null; echo "rc=$?"; }
LD=(NIX_LD="$REAL_LDSO")

check_eq default-silent "rc=0" "$(err "${LD[@]}" NIX_LD_LIBRARY_PATH=/nix/a)"
check_eq error-silent "rc=0" "$(err "${LD[@]}" NIX_LD_LIBRARY_PATH=/nix/a NIX_LD_LOG=error)"
check_eq warn-silent "rc=0" "$(err "${LD[@]}" NIX_LD_LIBRARY_PATH=/nix/a NIX_LD_LOG=warn)"

# The lines whose content is fixed (debug-only lines are dropped).
info() { err "$@" | grep -v ' image at \|mapped at\|_dl_debug_state'; }
# Fallback, the default, with Debian's ld.so: no home's automatic cache
# name fits its 16 bytes, so the start takes the last resort: ld.so gets
# a library path (the user's first), and a NIX_LD* slot is lent.
HOMES="ldshim: automatic library cache: not in /run/user/0/ldshim: the name would be 35 bytes, ld.so has room for 16
ldshim: automatic library cache: not in /run/ldshim: the name would be 28 bytes, ld.so has room for 16
ldshim: automatic library cache: not in /tmp/ldshim-0: the name would be 30 bytes, ld.so has room for 16
ldshim: automatic library cache: not in /dev/shm/ldshim-0: the name would be 34 bytes, ld.so has room for 16
ldshim: no library cache: no home takes the automatic cache"
[ "$(id -u)" = 0 ] || HOMES=$(sed "s|/run/user/0/|/run/user/$(id -u)/|; s|ldshim-0|ldshim-$(id -u)|; /run\/ldshim:/d" <<<"$HOMES")
check_eq info-nix-ld "ldshim: ld.so $REAL_LDSO (NIX_LD)
$HOMES
ldshim: last resort (no library cache): library path for ld.so: /nix/a (NIX_LD_LIBRARY_PATH)
ldshim: env case: a NIX_LD* variable's slot is lent (envp[0])
rc=0" "$(info "${LD[@]}" NIX_LD_LIBRARY_PATH=/nix/a NIX_LD_LOG=info)"
check_eq info-system-variables "ldshim: ld.so $REAL_LDSO (NIX_LD_x86_64_linux)
$HOMES
ldshim: last resort (no library cache): library path for ld.so: /nix/b (NIX_LD_LIBRARY_PATH_x86_64_linux)
ldshim: env case: a NIX_LD* variable's slot is lent (envp[0])
rc=0" "$(info NIX_LD=/elsewhere NIX_LD_x86_64_linux="$REAL_LDSO" NIX_LD_LIBRARY_PATH=/nix/a \
	NIX_LD_LIBRARY_PATH_x86_64_linux=/nix/b NIX_LD_LOG=info)"
check_eq info-default-path "ldshim: ld.so $REAL_LDSO (NIX_LD)
$HOMES
ldshim: last resort (no library cache): library path for ld.so: /run/current-system/sw/share/nix-ld/lib (built-in default)
ldshim: env case: a NIX_LD* variable's slot is lent (envp[0])
rc=0" "$(info NIX_LD_LOG=info "${LD[@]}")"
check_eq info-user-path "ldshim: ld.so $REAL_LDSO (NIX_LD)
$HOMES
ldshim: last resort (no library cache): library path for ld.so: /u:/nix/a (LD_LIBRARY_PATH + NIX_LD_LIBRARY_PATH)
ldshim: env case: LD_LIBRARY_PATH set, its slot is lent (envp[2])
rc=0" "$(info "${LD[@]}" NIX_LD_LIBRARY_PATH=/nix/a LD_LIBRARY_PATH=/u NIX_LD_LOG=info)"
# The user's own LD_AUDIT is theirs: passed on, never lent.
check_eq info-user-audit "ldshim: ld.so $REAL_LDSO (NIX_LD)
$HOMES
ldshim: last resort (no library cache): library path for ld.so: /nix/a (NIX_LD_LIBRARY_PATH)
ldshim: env case: a NIX_LD* variable's slot is lent (envp[0])
rc=0" "$(info "${LD[@]}" NIX_LD_LIBRARY_PATH=/nix/a LD_AUDIT=/none.so NIX_LD_LOG=info 2>&1 | grep -v 'cannot be loaded as audit')"
check_eq unknown-mode "ldshim: NIX_LD_MODE=sideways: unknown mode (fallback or override), using fallback
rc=0" "$(err "${LD[@]}" NIX_LD_LIBRARY_PATH=/nix/a NIX_LD_MODE=sideways NIX_LD_LOG=warn)"
# Override (nix-ld's order): the library path goes to ld.so.
check_eq info-override-nix-ld "ldshim: ld.so $REAL_LDSO (NIX_LD)
ldshim: override mode: library path for ld.so: /nix/a (NIX_LD_LIBRARY_PATH)
ldshim: env case: a NIX_LD* variable's slot is lent (envp[0])
rc=0" "$(info NIX_LD_MODE=override "${LD[@]}" NIX_LD_LIBRARY_PATH=/nix/a NIX_LD_LOG=info)"
check_eq info-override-system-variables "ldshim: ld.so $REAL_LDSO (NIX_LD_x86_64_linux)
ldshim: override mode: library path for ld.so: /nix/b (NIX_LD_LIBRARY_PATH_x86_64_linux)
ldshim: env case: a NIX_LD* variable's slot is lent (envp[0])
rc=0" "$(info NIX_LD_MODE=override NIX_LD=/elsewhere NIX_LD_x86_64_linux="$REAL_LDSO" NIX_LD_LIBRARY_PATH=/nix/a \
	NIX_LD_LIBRARY_PATH_x86_64_linux=/nix/b NIX_LD_LOG=info)"
check_eq info-override-default-path "ldshim: ld.so $REAL_LDSO (NIX_LD)
ldshim: override mode: library path for ld.so: /run/current-system/sw/share/nix-ld/lib (built-in default)
ldshim: env case: a NIX_LD* variable's slot is lent (envp[0])
rc=0" "$(info NIX_LD_MODE=override NIX_LD_LOG=info "${LD[@]}")"
check_eq info-override-user-path "ldshim: ld.so $REAL_LDSO (NIX_LD)
ldshim: override mode: library path for ld.so: /u:/nix/a (LD_LIBRARY_PATH + NIX_LD_LIBRARY_PATH)
ldshim: env case: LD_LIBRARY_PATH set, its slot is lent (envp[3])
rc=0" "$(info NIX_LD_MODE=override "${LD[@]}" NIX_LD_LIBRARY_PATH=/nix/a LD_LIBRARY_PATH=/u NIX_LD_LOG=info)"
check_eq info-nothing-to-add "ldshim: ld.so $REAL_LDSO (NIX_LD)
ldshim: no library path to add (NIX_LD_LIBRARY_PATH is empty): nothing injected
rc=0" "$(info "${LD[@]}" NIX_LD_LIBRARY_PATH=: NIX_LD_LOG=info)"

out=$(err "${LD[@]}" NIX_LD_LIBRARY_PATH=/nix/a NIX_LD_LOG=debug)
case $out in
*"ldshim: ld.so mapped at 0x"*"ldshim: ld.so and program image at 0x"*rc=0) pass debug-images ;;
*) fail debug-images "expected the mapping and the image at debug, got: $out" ;; esac
bad=$(grep -v '^ldshim: \|^rc=0$' <<<"$out")
check_eq debug-prefix "" "$bad"
out2=$(err "${LD[@]}" NIX_LD_LIBRARY_PATH=/nix/a NIX_LD_LOG=trace | sed 's/0x[0-9a-f]*/ADDR/g')
case $out2 in
*"ldshim: ld.so mapped at ADDR"*) pass trace-includes-debug ;;
*) fail trace-includes-debug "expected the debug lines at trace, got: $out2" ;; esac

check_eq unknown-level "ldshim: unknown NIX_LD_LOG level 'loud' (error, warn, info, debug, trace): using error
rc=0" "$(err "${LD[@]}" NIX_LD_LIBRARY_PATH=/nix/a NIX_LD_LOG=loud)"
out=$(env -i "${LD[@]}" NIX_LD_LOG=loud "$H" 2>/dev/null | head -1)
check_eq unknown-level-runs "hello from a foreign program" "$out"

# Explicit invocation says what it passes to ld.so.
out=$(env -i "${LD[@]}" NIX_LD_LIBRARY_PATH=/nix/a NIX_LD_LOG=info "$LDSHIM" --library-path /x "$T/hello" 2>&1 >/dev/null | grep explicit)
check_eq info-explicit "ldshim: explicit invocation: --library-path /x:/nix/a (--library-path + NIX_LD_LIBRARY_PATH; the last resort: no library cache, merged into the user's option)" "$out"
out=$(env -i "${LD[@]}" NIX_LD_MODE=override NIX_LD_LIBRARY_PATH=/nix/a NIX_LD_LOG=info "$LDSHIM" --library-path /x "$T/hello" 2>&1 >/dev/null | grep explicit)
check_eq info-explicit-override "ldshim: explicit invocation: --library-path /x:/nix/a (--library-path + NIX_LD_LIBRARY_PATH, merged into the user's option)" "$out"
