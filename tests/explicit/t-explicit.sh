# Explicit invocation inside the simulated NixOS: ldshim run as a command
# (/lib64/ld-linux-x86-64.so.2 PROG, --list, ld.so's options, ldd) must do
# what the real ld.so does when given the Nix library path (fallback mode:
# --audit with the module; override mode: --library-path), and must not
# leak anything into the environment.
. "$(dirname "$0")/../lib.sh"
X=$T/explicit
src=$ROOT/tests/explicit
is_root || { skip explicit "needs root for the mount namespace"; exit 0; }
store_init
store_add /bin/bash
# Every start here is the last resort: no cache home is writable
# (NO_CACHE_HOME), so no automatic cache serves the user's path.
say_start "a user's NIX_LD_LIBRARY_PATH, no cache home" --sim "${NO_CACHE_HOME[@]}" -- "${NIX_ENV[@]}"
# libwho.so.1 exists only in the store (who: store); a second copy in
# $X/alt (who: alt) shows which path ld.so searched first.
cc_prog "$STORE/lib/libwho.so.1" "$src/libwho.c" -- -shared -fPIC -DWHO='"store"' -Wl,-soname,libwho.so.1
cc_prog "$X/alt/libwho.so.1" "$src/libwho.c" -- -shared -fPIC -DWHO='"alt"' -Wl,-soname,libwho.so.1
cc_prog "$X/libpre.so" "$src/libpre.c" -- -shared -fPIC
cc_prog "$X/whoprog" "$src/whoprog.c" "$STORE/lib/libwho.so.1"
P=$X/whoprog

# in_sim ENV... -- CMD ARGS: run in the sim with exactly ENV; prints the
# output (stdout and stderr) and a last line rc=N.
in_sim() {
	local envv=()
	while [ "$1" != -- ]; do envv+=("$1"); shift; done; shift
	env -i "${envv[@]}" "$SIM" "${NO_CACHE_HOME[@]}" -- "$@" 2>&1; echo "rc=$?"
}
# The real ld.so, run directly with the Nix path: what ldshim must match.
real() { in_sim "${NIX_ENV[@]}" -- "$STORE_LDSO" --library-path "$STORE/lib" "$@"; }
shim() { in_sim "${NIX_ENV[@]}" -- "$INTERP" "$@"; }
shim_override() { in_sim NIX_LD_MODE=override "${NIX_ENV[@]}" -- "$INTERP" "$@"; }
no_addr() { sed 's/ (0x[0-9a-f]*)$//'; }

# 1. PROG args: same output as the real ld.so; no LD_LIBRARY_PATH in the
# program's environment nor in the child's it starts.
want=$(real "$P" spawn 'a b' '')
got=$(shim "$P" spawn 'a b' '')
check_eq run-same-as-real-ldso "$want" "$got"
case $got in
*"who: store"*"argv[1]: child"*) pass run-nix-path-and-child ;;
*) fail run-nix-path-and-child "expected 'who: store' and a child's lines, got: $got" ;; esac
if grep -q '^env: LD_LIBRARY_PATH=' <<<"$got"; then
	fail run-no-leak "LD_LIBRARY_PATH in the program's or child's environment: $got"
else pass run-no-leak; fi
env_lines=$(grep -c '^env: ' <<<"$got")
check_eq run-env-exact "4" "$env_lines"

# The user's own LD_LIBRARY_PATH comes first (as in interpreter mode) and
# stays, unchanged, in the environment.
got=$(in_sim LD_LIBRARY_PATH="$X/alt" "${NIX_ENV[@]}" -- "$INTERP" "$P" spawn)
check_eq run-user-ld-library-path "who: alt
argv[0]: $P
argv[1]: spawn
env: LD_LIBRARY_PATH=$X/alt
env: NIX_LD=$STORE_LDSO
env: NIX_LD_LIBRARY_PATH=$STORE/lib
who: alt
argv[0]: $P
argv[1]: child
env: LD_LIBRARY_PATH=$X/alt
env: NIX_LD=$STORE_LDSO
env: NIX_LD_LIBRARY_PATH=$STORE/lib
rc=0" "$got"

# 2. --list resolves through the Nix path.
got=$(shim --list "$P" | no_addr)
check_eq list "	linux-vdso.so.1
	libwho.so.1 => $STORE/lib/libwho.so.1
	libc.so.6 => $SIM_LIBC
	$INTERP
rc=0" "$got"

# 3. --library-path X comes first, then the Nix path.
got=$(shim --library-path "$X/alt" "$P" | head -1)
check_eq library-path-first "who: alt" "$got"
got=$(shim --library-path /nonexistent "$P" | head -1)
check_eq library-path-then-nix "who: store" "$got"
# Fallback without a library cache (no cache home): the last resort, the
# Nix path after the user's option, then ld.so's own cache.
got=$(shim --library-path "$X/alt" --help | grep -A3 '^Shared library search path:')
check_eq library-path-fallback-order "Shared library search path:
  $X/alt (--library-path)
  $STORE/lib (--library-path)
$(in_sim -- "$STORE_LDSO" --help | grep -m1 '^  (libraries located via')" "$got"
# Override: merged into the user's option.
got=$(shim_override --library-path "$X/alt" --help | grep -A3 '^Shared library search path:')
check_eq library-path-merged-order "Shared library search path:
  $X/alt (--library-path)
  $STORE/lib (--library-path)
$(in_sim -- "$STORE_LDSO" --help | grep -m1 '^  (libraries located via')" "$got"
got=$(shim_override --library-path /nonexistent "$P" | head -1)
check_eq library-path-then-nix-override "who: store" "$got"
# The last --library-path is ld.so's; in override mode the Nix path joins
# that one.
got=$(shim --library-path /first --library-path "$X/alt" "$P" | head -1)
check_eq library-path-last-wins "who: alt" "$got"
got=$(shim_override --library-path /first --library-path "$X/alt" "$P" | head -1)
check_eq library-path-last-wins-override "who: alt" "$got"

# 4. --preload, --argv0, --inhibit-cache pass through.
got=$(shim --preload "$X/libpre.so" "$P" | head -2)
check_eq preload "preloaded
who: store" "$got"
got=$(shim --argv0 NAME "$P" x | sed -n '2,3p')
check_eq argv0 "argv[0]: NAME
argv[1]: x" "$got"
want=$(real --inhibit-cache "$P" x)
got=$(shim --inhibit-cache "$P" x)
check_eq inhibit-cache "$want" "$got"
# ... also where a cache home exists: ld.so reads no cache then, so the
# Nix path goes to it as the last resort's --library-path.
got=$(env -i "${NIX_ENV[@]}" "$SIM" -- "$INTERP" --inhibit-cache "$P" x 2>&1; echo "rc=$?")
check_eq inhibit-cache-with-a-cache-home "$want" "$got"
# "--" (an error for glibc 2.36's ld.so, an end of options for others):
# whatever the real ld.so makes of it.
want=$(real -- "$P" --library-path | sed "s|$STORE_LDSO|$INTERP|g")
got=$(shim -- "$P" --library-path)
check_eq double-dash "$want" "$got"

# 5. --version / --help: one ldshim line on stdout, then the real ld.so's
# text; exit 0 (ldd requires it of --version).
ident="ldshim 0.1: real ld.so $STORE_LDSO (NIX_LD), last resort (no library cache): library path $STORE/lib (NIX_LD_LIBRARY_PATH)"
ident_override="ldshim 0.1: real ld.so $STORE_LDSO (NIX_LD), override mode: library path $STORE/lib (NIX_LD_LIBRARY_PATH)"
want=$(in_sim -- "$STORE_LDSO" --version)
got=$(env -i "${NIX_ENV[@]}" "$SIM" "${NO_CACHE_HOME[@]}" -- "$INTERP" --version 2>/dev/null; echo "rc=$?")
check_eq version "$ident
$want" "$got"
got=$(env -i "${NIX_ENV[@]}" "$SIM" "${NO_CACHE_HOME[@]}" -- "$INTERP" --help 2>/dev/null; echo "rc=$?")
case $got in
"$ident"$'\n'"Usage: $INTERP "*rc=0) pass help ;;
*) fail help "expected the ldshim line, ld.so's help, rc=0; got: $got" ;; esac
got=$(env -i NIX_LD_MODE=override "${NIX_ENV[@]}" "$SIM" "${NO_CACHE_HOME[@]}" -- "$INTERP" --version 2>/dev/null; echo "rc=$?")
check_eq version-override "$ident_override
$want" "$got"
got=$(env -i NIX_LD_MODE=override "${NIX_ENV[@]}" "$SIM" "${NO_CACHE_HOME[@]}" -- "$INTERP" --help 2>/dev/null; echo "rc=$?")
case $got in
"$ident_override"$'\n'"Usage: $INTERP "*"  $STORE/lib (--library-path)"*rc=0) pass help-override ;;
*) fail help-override "expected the ldshim line, ld.so's help with $STORE/lib (--library-path), rc=0; got: $got" ;; esac

# --verify: ld.so's exit codes, which ldd reads (0 dynamic, 1 not ELF).
got=$(shim --verify "$P" | tail -1)
check_eq verify-dynamic "rc=0" "$got"
got=$(shim --verify "$src/whoprog.c" | tail -1)
check_eq verify-not-elf "rc=1" "$got"

# 6. ldd (Debian's script: --version, --verify, then
# LD_TRACE_LOADED_OBJECTS=1 $rtld PROG) lists the store's libraries.
got=$(in_sim "${NIX_ENV[@]}" -- /usr/bin/ldd "$P" | no_addr)
check_eq ldd "	linux-vdso.so.1
	libwho.so.1 => $STORE/lib/libwho.so.1
	libc.so.6 => $SIM_LIBC
	$INTERP
rc=0" "$got"
# The same trace through the kernel (ldshim as the program's interpreter).
# (--env-file: the sim's own bash must not see LD_TRACE_LOADED_OBJECTS.)
envf=$(mktemp); printf '%s\0' LD_TRACE_LOADED_OBJECTS=1 "${NIX_ENV[@]}" > "$envf"
got=$({ "$SIM" "${NO_CACHE_HOME[@]}" --env-file "$envf" -- "$P" 2>&1; echo "rc=$?"; } | no_addr)
check_eq trace-as-interpreter "	linux-vdso.so.1
	libwho.so.1 => $STORE/lib/libwho.so.1
	libc.so.6 => $SIM_LIBC
	$INTERP
rc=0" "$got"

# 7. ldshim alone: its usage on stderr, the variables, their values and
# what it would load; exit 1 as glibc's ld.so without a program.
out=$(env -i "${NIX_ENV[@]}" NIX_LD_LOG=warn "$SIM" "${NO_CACHE_HOME[@]}" -- "$INTERP" 2>/dev/null; echo "rc=$?")
check_eq usage-stdout-empty "rc=1" "$out"
out=$(in_sim "${NIX_ENV[@]}" NIX_LD_LOG=warn -- "$INTERP")
want_tail="  NIX_LD_x86_64_linux (unset)
  NIX_LD=$STORE_LDSO
  NIX_LD_LIBRARY_PATH_x86_64_linux (unset)
  NIX_LD_LIBRARY_PATH=$STORE/lib
  LD_LIBRARY_PATH (unset)
  NIX_LD_MODE (unset)
  NIX_LD_LOG=warn
would load: $(sed 's/^ldshim 0.1: //' <<<"$ident")
rc=1"
case $out in
"ldshim 0.1: "*"usage: ldshim [ld.so options] PROGRAM [ARGS...]"*"$want_tail") pass usage ;;
*) fail usage "expected the usage ending with the variables and choice, got: $out" ;; esac
# Without any variable, and with the default ld.so missing, it still says
# what it would load and why that fails.
out=$({ env -i "$SIM" "${NO_CACHE_HOME[@]}" --no-current-system -- "$INTERP" 2>&1; echo "rc=$?"; } | tail -3)
if [ "$out" = "$INTERP: ldshim: /run/current-system/sw/share/nix-ld/lib/ld.so: No such file or directory
rc=127" ]; then
	skip usage-default-missing "main.c maps the real ld.so before it calls start_explicit (needs start_explicit(&im, &plan, 0) before elf_map)"
else check_eq usage-default-missing "would load: real ld.so /run/current-system/sw/share/nix-ld/lib/ld.so (built-in default), last resort (no library cache): library path /run/current-system/sw/share/nix-ld/lib (built-in default)
but /run/current-system/sw/share/nix-ld/lib/ld.so: No such file or directory
rc=1" "$out"
fi
