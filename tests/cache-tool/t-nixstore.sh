# The cache where a Nix glibc reads it: in a private mount namespace with
# a tmpfs at /nix/store (needs root), the Nix-style glibc of
# ../shared/nixglibc and a library directory built the way the NixOS
# module builds it: in a sandbox directory, recorded with --map under the
# store path it is installed at, its entries symlinks into other store
# paths (as buildEnv makes them). The cache is written to the glibc's own
# <prefix>/etc/ld.so.cache, so its ld.so, unchanged, reads it: every name
# resolves as LD_LIBRARY_PATH=<that directory>:<glibc>/lib resolves it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
NIXGLIBC_TAR=$SHARED/nixglibc/glibc-2.36-nix.tar.xz
is_root || { skip nixstore "needs root (unshare -m, mount)"; exit 0; }
[ -e "$NIXGLIBC_TAR" ] || { skip nixstore "no $NIXGLIBC_TAR"; exit 0; }
command -v unshare >/dev/null || { skip nixstore "no unshare (util-linux)"; exit 0; }
mkdir -p /nix/store
cc_prog "$D/resolver" "$HERE/resolver.c"
# Libraries in their own "store paths", built outside and copied in.
mkdir -p "$D/pkgs"
mklib gcc "$D/pkgs/libfoo/lib/libnsfoo.so.1"
ln -s libnsfoo.so.1 "$D/pkgs/libfoo/lib/libnsfoo.so"
mklib gcc "$D/pkgs/libbar/lib/libnsbar.so.2.10"
mklib gcc "$D/pkgs/libbar/lib/libnsbar.so.2.9"
mklib gcc "$D/pkgs/libbaz/lib/libnsbaz.so.3"

unshare -m --propagation private -- env D="$D" TOOL="$TOOL" NIXGLIBC_TAR="$NIXGLIBC_TAR" \
	ROOT="$ROOT" bash -s <<'INNER'
. "$ROOT/tests/lib.sh"
set -u
mount -t tmpfs -o mode=0755 tmpfs /nix/store || { fail nixstore "cannot mount a tmpfs at /nix/store"; exit 0; }
G=/nix/store/8m1s7yq4f0sbzdhy8lq5z0ab5xgpwcxh-glibc-2.36
tar -xJf "$NIXGLIBC_TAR" -C /nix/store
mkdir -p "$G/etc"
cp -a "$D/pkgs/libfoo" /nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-libfoo-1
cp -a "$D/pkgs/libbar" /nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-libbar-2
cp -a "$D/pkgs/libbaz" /nix/store/cccccccccccccccccccccccccccccccc-libbaz-3
# The sandbox: $D/build/out/lib, symlinks into the store, as buildEnv.
OUT=/nix/store/dddddddddddddddddddddddddddddddd-nix-ld-libs
mkdir -p "$D/build/out/lib"
for f in /nix/store/*-lib{foo,bar,baz}-*/lib/*; do ln -s "$f" "$D/build/out/lib/"; done
"$TOOL" --map "$D/build/out=$OUT" -o "$G/etc/ld.so.cache" "$D/build/out/lib" "$G/lib" \
	2>"$D/gen.err" || { fail nixstore-build "ldshim-cache failed: $(head -3 "$D/gen.err")"; exit 0; }
cp -a "$D/build/out" "$OUT"	# "installed"
pass nixstore-build

names="libnsfoo.so.1 libnsfoo.so libnsbar.so.2.10 libnsbar.so.2.9 libnsbaz.so.3 libm.so.6 libnone.so.1"
want="libnsfoo.so.1 => $OUT/lib/libnsfoo.so.1
libnsfoo.so => $OUT/lib/libnsfoo.so
libnsbar.so.2.10 => $OUT/lib/libnsbar.so.2.10
libnsbar.so.2.9 => $OUT/lib/libnsbar.so.2.9
libnsbaz.so.3 => $OUT/lib/libnsbaz.so.3
libm.so.6 => $G/lib/libm.so.6
libnone.so.1 => error"
# The Nix ld.so as it is: its cache path is $G/etc/ld.so.cache.
by_cache=$(env -i "$G/lib/ld-linux-x86-64.so.2" "$D/resolver" $names 2>/dev/null)
by_path=$(env -i "LD_LIBRARY_PATH=$OUT/lib:$G/lib" "$G/lib/ld-linux-x86-64.so.2" --inhibit-cache \
	"$D/resolver" $names 2>/dev/null)
check_eq nixstore-LD_LIBRARY_PATH "$want" "$by_path"
check_eq nixstore-cache "$want" "$by_cache"
# Both directories are store paths: fixed, never out of date.
got=$("$TOOL" --print "$G/etc/ld.so.cache" | sed -n 's/^\t\([^:]*\): .*: \(fixed\).*/\1 \2/p')
check_eq nixstore-fixed "$OUT/lib fixed
$G/lib fixed" "$got"
got=$("$TOOL" --check "$G/etc/ld.so.cache" "$OUT/lib" "$G/lib" 2>&1)
check_eq nixstore-check "$G/etc/ld.so.cache: current" "$got"
INNER
