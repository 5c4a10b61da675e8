# The cases of the differential transparency suite, one list for every
# architecture: tests/transparency/t-differential.sh (x86_64) and
# tests/cross/suite.sh (i386, aarch64, riscv64 under qemu-user) source it.
# Each case sets A (the probe's arguments) and E (its environment, byte
# exact, in order) and calls
#   check NAME SHIM SLOT
# the caller's function: run the probe directly and through SHIM, compare.
# SLOT: "lend" (an LD_LIBRARY_PATH or NIX_LD* entry exists for ldshim to
# lend), "add" (none: ld.so runs on a copied stack image) or "none"
# (nothing is injected: the library cache).
# The caller sets: STORE_LDSO, STORE_LIB (the store's ld.so and library
# directory), NIX_SYS (x86_64_linux, ...), SHIM (ldshim), SHIM_DEFAULT (a
# build whose defaults are the store's), AUDIT_NOP (an rtld-audit module
# that does nothing, built for the arch), STORE_CACHE (a library cache
# for STORE_LIB at a path the store's ld.so has room for) and
# SHIM_CACHE_DEFAULT (a build whose defaults are the store's and that
# cache), or neither.
NIX_LD_V="NIX_LD=$STORE_LDSO"
NIX_PATH_V="NIX_LD_LIBRARY_PATH=$STORE_LIB"
A=(one "two words" "")

# The four library-path cases, NIX_LD always naming the store's ld.so.
E=(HOME=/home/user "$NIX_LD_V" PATH=/bin "$NIX_PATH_V" TERM=dumb)
check nix-path-only "$SHIM" lend
E=(HOME=/home/user "$NIX_LD_V" LD_LIBRARY_PATH=/opt/user/lib PATH=/bin)
check user-path-only "$SHIM_DEFAULT" lend
E=(HOME=/home/user "$NIX_LD_V" LD_LIBRARY_PATH=/opt/user/lib "$NIX_PATH_V")
check both-paths "$SHIM" lend
E=(HOME=/home/user "NIX_LD_$NIX_SYS=$STORE_LDSO" PATH=/bin)
check neither-path "$SHIM_DEFAULT" lend
E=("$NIX_LD_V" "NIX_LD_LIBRARY_PATH=" PATH=/bin)
check empty-nix-path "$SHIM_DEFAULT" lend
E=("$NIX_LD_V" "LD_LIBRARY_PATH=" "$NIX_PATH_V")
check empty-user-path "$SHIM" lend

# No slot to lend: everything from the built-in defaults.
E=(HOME=/home/user PATH=/bin)
check no-nix-vars "$SHIM_DEFAULT" add
E=()
check empty-env "$SHIM_DEFAULT" add
E=(NIX_LD LD_LIBRARY_PATH "" "NIX_LD_LIBRARY_PATH_$NIX_SYS" PATH=/bin)
check no-equals-only "$SHIM_DEFAULT" add

# Big and odd environments.
E=()
for i in $(seq -w 1 10000); do E+=("VAR$i=value $i"); done
E+=("$NIX_LD_V" "$NIX_PATH_V")
check 10000-vars "$SHIM" lend
E=("${E[@]:0:10000}")
check 10000-vars-no-slot "$SHIM_DEFAULT" add
long=
for i in $(seq 1 400); do long+="/opt/lib-$i/$(printf '%0240d' 0):"; done
E=("$NIX_LD_V" "LD_LIBRARY_PATH=${long%:}" "$NIX_PATH_V")
check ldpath-${#long}-bytes "$SHIM" lend
E=(FOO "" "LD_LIBRARY_PATH" "NIX_LD" "=value" "X==y" "$NIX_LD_V" "$NIX_PATH_V"
	$'NL=a\nb' $'BYTES=\x01\x7f\xff\xc3\xa9' $'TAB=\t')
check no-equals "$SHIM" lend
E=(LD_LIBRARY_PATH=/opt/first "$NIX_LD_V" "$NIX_PATH_V" LD_LIBRARY_PATH=/opt/second)
check dup-ld-library-path "$SHIM" lend
E=("$NIX_LD_V" "$NIX_PATH_V" NIX_LD=/nonexistent/ld.so NIX_LD_LIBRARY_PATH=/nonexistent)
check dup-nix-vars "$SHIM" lend
E=("$NIX_LD_V" "LD_LIBRARY_PATH=:a::b:" "$NIX_PATH_V")
check ldpath-empty-elements "$SHIM" lend

# A user's own LD_AUDIT (fallback mode lends its slot: ld.so gets the
# user's module then ours) and nix-ld's order (NIX_LD_MODE=override, in
# both runs' environment): the program sees exactly the direct run's view.
E=(HOME=/home/user "$NIX_LD_V" "LD_AUDIT=$AUDIT_NOP" "$NIX_PATH_V")
check user-audit "$SHIM" lend
E=("LD_AUDIT=$AUDIT_NOP" PATH=/bin)
check user-audit-only "$SHIM_DEFAULT" add
E=(HOME=/home/user "$NIX_LD_V" NIX_LD_MODE=override PATH=/bin "$NIX_PATH_V")
check override-nix-path-only "$SHIM" lend
E=(HOME=/home/user "$NIX_LD_V" NIX_LD_MODE=override LD_LIBRARY_PATH=/opt/user/lib "$NIX_PATH_V")
check override-both-paths "$SHIM" lend
E=(LD_LIBRARY_PATH=/opt/first NIX_LD_MODE=override "$NIX_LD_V" "$NIX_PATH_V" LD_LIBRARY_PATH=/opt/second)
check override-dup-ld-library-path "$SHIM" lend

# A large argv, odd bytes included.
A=()
for i in $(seq 1 5000); do A+=("arg $i"); done
A+=("" $'new\nline' $'\xff\x01' "-" "--" "a=b")
E=("$NIX_LD_V" "$NIX_PATH_V")
check 5000-args "$SHIM" lend
E=()
check 5000-args-no-slot "$SHIM_DEFAULT" add

# The library cache: nothing is injected at all, so every view is the
# direct run's, with a slot to lend or without (the defaults name it all).
if [ -n "${STORE_CACHE:-}" ]; then
	A=(one "two words" "")
	E=(HOME=/home/user "$NIX_LD_V" PATH=/bin "$NIX_PATH_V" "NIX_LD_LIBRARY_CACHE=$STORE_CACHE" TERM=dumb)
	check cache-nix-path "$SHIM" none
	E=(HOME=/home/user "$NIX_LD_V" LD_LIBRARY_PATH=/opt/user/lib "$NIX_PATH_V" "NIX_LD_LIBRARY_CACHE=$STORE_CACHE")
	check cache-both-paths "$SHIM" none
	E=(HOME=/home/user PATH=/bin)
	check cache-no-nix-vars "$SHIM_CACHE_DEFAULT" none
	E=()
	check cache-empty-env "$SHIM_CACHE_DEFAULT" none
	E=(FOO "" "LD_LIBRARY_PATH" "NIX_LD" "=value" "X==y" $'NL=a\nb' $'TAB=\t')
	check cache-no-equals-only "$SHIM_CACHE_DEFAULT" none
fi
