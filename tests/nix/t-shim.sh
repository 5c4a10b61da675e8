# The module's /etc/ldshim.conf and caches, and a dev shell's variables
# from mkShellEnv, as the shim reads them (root, a private mount
# namespace): the build scripts run in a tmpfs /nix/store (t-build.sh),
# /run/current-system/sw/share/nix-ld/lib is the library directory, the
# real ld.so is the Nix-style glibc of ../shared/nixglibc (a 70-byte cache
# path). A program is started with ldshim as its interpreter: each cache
# serves its path (ldshim --config) and the libraries come from it.
. "$(dirname "$0")/../lib.sh"
CASE=nix-shim
. "$(dirname "$0")/common.sh"
NIXGLIBC_TAR=
for t in "$ROOT/../shared/nixglibc/glibc-2.36-nix.tar.xz" /work/shared/nixglibc/glibc-2.36-nix.tar.xz; do
	[ -e "$t" ] && { NIXGLIBC_TAR=$t; break; }
done
[ -n "$NIXGLIBC_TAR" ] || { skip nix-shim "no glibc-2.36-nix.tar.xz in ../shared/nixglibc"; exit 0; }
need_store
# A shim that reads its system file from $W/etc. Which cache serves a
# start is shown by `ldshim --config` and the log (a start no cache
# serves would take the last resort and find the libraries too).
mkdir -p "$W/etc"
if ! make -s -C "$ROOT" B="$W/shim" CONFIG_PATH="$W/etc/ldshim.conf" \
	"$W/shim/ldshim" >/dev/null 2>"$W/make.err"; then
	fail nix-shim-build "make of the ldshim variant failed: $(head -c 600 "$W/make.err")"; exit 0
fi
j .full.conf > "$W/etc/ldshim.conf"
chmod 644 "$W/etc/ldshim.conf"
# Two programs with ldshim as their interpreter: the vendor tool (a
# [program] section) and one with only the global set.
gcc -O1 -o "$W/tool" "$HERE/libs.c" -L"$W" -Wl,--no-as-needed -l:libntcuda.so.1 -l:libntz.so.1 \
	-Wl,--dynamic-linker="$W/shim/ldshim" &&
gcc -O1 -o "$W/plain" "$HERE/libs.c" -L"$W" -Wl,--no-as-needed -l:libntz.so.1 -Wl,--dynamic-linker="$W/shim/ldshim" &&
gcc -O1 -o "$W/dev" "$HERE/libs.c" -L"$W" -Wl,--no-as-needed -l:libntssl.so.1 -l:libntz.so.1 \
	-Wl,--dynamic-linker="$W/shim/ldshim" ||
	{ fail nix-shim "gcc failed"; exit 0; }

NIXGLIBC_TAR=$NIXGLIBC_TAR in_store_ns <<'INNER'
store_packages
PC=$(j '.full.programCaches["/opt/vendor/bin/tool"].path')
LC=$(j .lib.cache.path)
build "$ENV" "$(j .full.libraryEnv.postBuild)" &&
build "$PC" "$(j '.full.programCaches["/opt/vendor/bin/tool"].script')" &&
build "$LC" "$(j .lib.cache.script)" ||
	{ fail nix-shim "a build script failed: $(head -3 "$W/build.err")"; exit 0; }
# The system's ld.so: the Nix-style glibc.
G=/nix/store/8m1s7yq4f0sbzdhy8lq5z0ab5xgpwcxh-glibc-2.36
tar -xJf "$NIXGLIBC_TAR" -C /nix/store
ln -sf "$G/lib/ld-linux-x86-64.so.2" "$(P dynamicLinker)"
# /run/current-system/sw/share/nix-ld/lib, and the programs in /opt.
mount -t tmpfs -o mode=755 tmpfs /run && mount -t tmpfs tmpfs /opt ||
	{ fail nix-shim "cannot mount a tmpfs at /run or /opt"; exit 0; }
mkdir -p /run/current-system/sw/share/nix-ld /opt/vendor/bin /opt/plain
ln -s "$D" "$LIBDIR_RUN"
cp "$W/tool" /opt/vendor/bin/tool
cp "$W/plain" /opt/plain/tool

# run VAR=VALUE... PROG: with exactly these variables; stderr too.
run() { env -i NIX_LD_LOG=warn "$@" 2>&1; }
S=$W/shim/ldshim
check_eq nix-shim-program-cache "library-cache = $PC ($W/etc/ldshim.conf:12): serves the library path" \
	"$(run "$S" --config /opt/vendor/bin/tool | grep "^library-cache = $PC")"
check_eq nix-shim-program-libraries "$CUDA/lib/libntcuda.so.1
$LIBDIR_RUN/libntz.so.1" "$(run /opt/vendor/bin/tool)"
check_eq nix-shim-global-cache "library-cache = $LIBDIR_RUN/ld.so.cache ($W/etc/ldshim.conf:4): serves the library path" \
	"$(run "$S" --config /opt/plain/tool | grep "^library-cache = .*conf:4")"
check_eq nix-shim-global-libraries "$LIBDIR_RUN/libntz.so.1" "$(run /opt/plain/tool)"
# Control: the same directory named by its store path is another list,
# which no cache was built for: the automatic cache serves it (root's,
# in /run/ldshim), from the store path.
got=$(run NIX_LD_LOG=info NIX_LD_LIBRARY_PATH="$D" /opt/plain/tool)
if grep -q 'served by the library cache /run/ldshim/' <<<"$got" && grep -qx "$D/libntz.so.1" <<<"$got"; then
	pass nix-shim-other-list
else fail nix-shim-other-list "expected the automatic cache and $D/libntz.so.1, got: $got"; fi
# The session's variables (as the module sets them) change nothing.
check_eq nix-shim-session-variables "$CUDA/lib/libntcuda.so.1
$LIBDIR_RUN/libntz.so.1" "$(run $(j -r '.full.vars | to_entries[] | "\(.key)=\(.value)"') /opt/vendor/bin/tool)"

# A dev shell: mkShellEnv's two variables (cuda has no lib64: recorded
# as an empty store directory, which the shim takes as it is).
SHELL_ENV=($(j -r '.lib.shellEnv | to_entries[] | "\(.key)=\(.value)"'))
check_eq nix-shim-dev-shell-cache "library-cache = $LC (NIX_LD_LIBRARY_CACHE): serves the library path" \
	"$(run "${SHELL_ENV[@]}" "$S" --config "$W/dev" | grep "^library-cache = $LC")"
check_eq nix-shim-dev-shell-libraries "$SSL/lib/libntssl.so.1
$ZLIB/lib/libntz.so.1" "$(run "${SHELL_ENV[@]}" "$W/dev")"
INNER
