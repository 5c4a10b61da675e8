# The library cache: in fallback mode, a cache that ldshim-cache built for
# exactly the Nix library path serves it from ld.so's own cache step
# (after DT_RPATH, LD_LIBRARY_PATH, DT_RUNPATH), with nothing injected.
# Inside the simulated NixOS, with Debian's ld.so (16 bytes of room for the
# cache path) and with a Nix-built glibc 2.36 under /nix/store (about 70).
# Also: what is never used (stale, built for another path, broken), what
# ldshim changes in ld.so (every byte, decoded), the uncached way's static
# TLS and the explicit invocation. The store's ld.so is Debian's
# (SIM_GLIBC=debian): the cases below are about an ld.so with 16 bytes of
# room; the Nix glibc's cases bring their own store.
SIM_GLIBC=debian
. "$(dirname "$0")/../lib.sh"
is_root || { skip cache "needs root for the simulated NixOS"; exit 0; }
MKC=$BUILD/ldshim-cache
[ -x "$MKC" ] || { fail cache-tool-built "expected $MKC (run make)"; exit 0; }
C=$T/cache
rm -rf "$C"
mkdir -p "$C/nix" "$C/app/lib" "$C/user" "$C/mut"
F=tests/fallback
cc_prog "$C/nix/libfoo.so.1" $F/foo.c -- -shared -fPIC -DVERSION='"A-nix"' -Wl,-soname,libfoo.so.1
cc_prog "$C/app/lib/libfoo.so.1" $F/foo.c -- -shared -fPIC -DVERSION='"B-bundled"' -Wl,-soname,libfoo.so.1
cc_prog "$C/user/libfoo.so.1" $F/foo.c -- -shared -fPIC -DVERSION='"C-user"' -Wl,-soname,libfoo.so.1
cc_prog "$C/nix/libbar.so.1" $F/bar.c -- -shared -fPIC -Wl,-soname,libbar.so.1 -L"$C/nix" -l:libfoo.so.1
cc_prog "$C/app/bundled" $F/app.c -- -L"$C/nix" -l:libfoo.so.1 -ldl -Wl,--enable-new-dtags -Wl,-rpath,'$ORIGIN/lib'
cc_prog "$C/app/plain" $F/app.c -- -L"$C/nix" -l:libfoo.so.1 -ldl
cc_prog "$C/nix/libctorenv.so.1" tests/cache/ctorenv.c -- -shared -fPIC -Wl,-soname,libctorenv.so.1
cc_prog "$C/app/envprog" tests/cache/envprog.c -- -L"$C/nix" -l:libctorenv.so.1
cc_prog "$C/nix/libbigtls.so.1" tests/cache/bigtls.c -- -shared -fPIC -Wl,-soname,libbigtls.so.1
cc_prog "$C/app/tlsprog" tests/cache/tlsprog.c -- -L"$C/nix" -l:libbigtls.so.1
cc_prog "$C/ldso-diff" tests/cache/ldso-diff.c
cc_prog "$C/audit-nop.so" tests/debug/audit-nop.c -- -shared -fPIC
CAPSTONE=1
echo "#include <capstone/capstone.h>" | ${CC:-gcc} -E -x c - >/dev/null 2>&1 || CAPSTONE=0
[ $CAPSTONE = 0 ] || cc_prog "$C/ldso-diff-check" tests/cache/ldso-diff-check.c -- -lcapstone
store_init
say_start "the first cases: a user's NIX_LD_LIBRARY_PATH and Debian's ld.so; the cases below name each start they take" "${NIX_ENV[@]}"
store_add /bin/bash   # ldd is a bash script
cp "$C/nix/libfoo.so.1" "$C/mut/"

# Debian's ld.so has room for 16 bytes ("/etc/ld.so.cache"): the caches
# it reads live at short names.
W=$(mktemp -d /tmp/lsc.XXXX)
trap 'rm -rf "$W"' EXIT
chmod 755 "$W"
NIXP=$STORE/lib:$C/nix
"$MKC" -o "$W/c" "$STORE/lib" "$C/nix" || { fail cache-build "ldshim-cache failed"; exit 0; }

# with_env DEFAULT... -- VAR=VALUE...: the variables given, after the
# defaults they do not name.
with_env() {
	local defs=() v d
	while [ "$1" != -- ]; do defs+=("$1"); shift; done; shift
	for d in "${defs[@]}"; do
		for v in "$@"; do [ "${v%%=*}" != "${d%%=*}" ] || continue 2; done
		printf '%s\0' "$d"
	done
	[ $# = 0 ] || printf '%s\0' "$@"
}
# run [VAR=VALUE...] PROG|"" [COMMAND...]: in the simulated NixOS with
# exactly NIX_LD, the Nix path, its cache and the variables given (which
# replace those).
run() {
	local vars=() envf
	while [ $# -gt 0 ] && [[ $1 == *=* ]]; do vars+=("$1"); shift; done
	local prog=$1; shift
	envf=$(mktemp)
	with_env "NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$NIXP" "NIX_LD_LIBRARY_CACHE=$W/c" \
		-- "${vars[@]}" > "$envf"
	"$SIM" --env-file "$envf" -- ${prog:+"$C/app/$prog"} "$@" 2>&1
	rm -f "$envf"
}
served() { case $1 in *"served by the library cache $2: nothing injected"*) return 0 ;; esac; return 1; }

# --- the search order: as fallback mode's, from ld.so's cache step ---
out=$(run NIX_LD_LOG=info bundled)
if served "$out" "$W/c"; then pass cache-used; else fail cache-used "expected the start to use $W/c, got: $out"; fi
check_eq cache-runpath-bundle-wins "linked B-bundled
dlopen B-bundled
bar B-bundled
LD_AUDIT unset" "$(run bundled)"
check_eq cache-no-runpath-gets-nix "linked A-nix
dlopen A-nix
bar A-nix
LD_AUDIT unset" "$(run plain)"
check_eq cache-user-path-beats-both "linked C-user
dlopen C-user
bar C-user
LD_AUDIT unset" "$(run "LD_LIBRARY_PATH=$C/user" bundled)"
# override mode is nix-ld's order: the cache plays no part.
check_eq cache-override-mode-nix-first "linked A-nix
dlopen A-nix
bar A-nix
LD_AUDIT unset" "$(run NIX_LD_MODE=override bundled)"

# Nothing is injected: a library constructor, which runs before the
# program's entry, sees exactly the environment given, as main does.
want="ctor env NIX_LD=$STORE_LDSO
ctor env NIX_LD_LIBRARY_PATH=$NIXP
ctor env NIX_LD_LIBRARY_CACHE=$W/c
ctor env HOME=/home/u
ctor LD_AUDIT unset
ctor LD_LIBRARY_PATH unset
main env NIX_LD=$STORE_LDSO
main env NIX_LD_LIBRARY_PATH=$NIXP
main env NIX_LD_LIBRARY_CACHE=$W/c
main env HOME=/home/u"
check_eq cache-constructor-sees-user-env "$want" "$(run HOME=/home/u envprog)"
# The last resort, for contrast (Debian's ld.so has no room for an
# automatic cache's name): a constructor sees the library path ld.so was
# lent (the documented limit, as under nix-ld); the program does not.
case $(run NIX_LD_LIBRARY_CACHE= HOME=/home/u envprog) in
*"ctor LD_LIBRARY_PATH $NIXP"*"main env HOME=/home/u") pass last-resort-constructor-sees-library-path ;;
*) fail last-resort-constructor-sees-library-path "expected the documented limit (LD_LIBRARY_PATH in constructors) without a cache" ;; esac

# --- explicit invocation, ldd, ld.so's own trace ---
INTERP=/lib64/ld-linux-x86-64.so.2
names() { sed -n 's/^\t*\(libfoo.so.1\|libbar.so.1\) => \([^ ]*\).*/\1 \2/p'; }
check_eq cache-explicit-run "linked B-bundled
dlopen B-bundled
bar B-bundled
LD_AUDIT unset" "$(run "" "$INTERP" "$C/app/bundled")"
check_eq cache-explicit-list "libfoo.so.1 $C/nix/libfoo.so.1" "$(run "" "$INTERP" --list "$C/app/plain" | names)"
check_eq cache-explicit-list-bundled "libfoo.so.1 $C/app/lib/libfoo.so.1" "$(run "" "$INTERP" --list "$C/app/bundled" | names)"
check_eq cache-ldd "libfoo.so.1 $C/nix/libfoo.so.1" "$(run "" /usr/bin/ldd "$C/app/plain" | names)"
check_eq cache-trace-names-real-file "libfoo.so.1 $C/nix/libfoo.so.1" "$(run LD_TRACE_LOADED_OBJECTS=1 plain | names)"
out=$(run NIX_LD_LOG=info "" "$INTERP" --list "$C/app/plain")
case $out in *"explicit invocation: nothing added"*"served by the library cache $W/c"*) pass cache-explicit-nothing-added ;;
*) fail cache-explicit-nothing-added "expected no --audit and the cache named, got: $out" ;; esac
case $(run "" "$INTERP" --help) in *"from the library cache $W/c"*"(libraries located via $W/c)"*) pass cache-explicit-help ;;
*) fail cache-explicit-help "expected ldshim's line and ld.so's own --help to name $W/c" ;; esac

# --- never a wrong library: what is not used, and why (NIX_LD_LOG=info) ---
# notused CASE WHY [VAR=VALUE...]: the start does not use the cache, says
# WHY, and still gets the Nix copy the uncached way.
notused() {
	local name=$1 why=$2; shift 2
	local out; out=$(run NIX_LD_LOG=info "$@" plain)
	case $out in
	*"not used: "*"$why"*"linked A-nix"*"LD_AUDIT unset") pass "$name" ;;
	*) fail "$name" "expected the cache not used ($why) and the uncached way to work, got: $out" ;;
	esac
}
notused cache-other-path-list "built for $STORE/lib:$C/nix, not for this path" "NIX_LD_LIBRARY_PATH=$C/nix:$STORE/lib"
head -c 100 "$W/c" > "$W/t"
notused cache-truncated "" "NIX_LD_LIBRARY_CACHE=$W/t"
head -c -1 "$W/c" > "$W/t"
notused cache-last-byte-cut "" "NIX_LD_LIBRARY_CACHE=$W/t"
printf 'not a cache at all, but long enough to have a header, surely.\n' > "$W/g"
notused cache-garbage "not a glibc-ld.so.cache1.1 file" "NIX_LD_LIBRARY_CACHE=$W/g"
notused cache-missing "No such file or directory" "NIX_LD_LIBRARY_CACHE=$W/none"
ldconfig -C "$W/l" -f /dev/null -X "$C/nix" 2>/dev/null
notused cache-ldconfig-made "not a cache ldshim-cache wrote" "NIX_LD_LIBRARY_CACHE=$W/l"
"$MKC" --arch aarch64 -o "$W/a" "$STORE/lib" "$C/nix" >/dev/null 2>&1 &&
	notused cache-other-arch "built for another architecture" "NIX_LD_LIBRARY_CACHE=$W/a"
# Stale: a directory that is not in the Nix store changed since.
"$MKC" -o "$W/m" "$STORE/lib" "$C/mut"
check_eq cache-mutable-dir-current "linked A-nix" "$(run "NIX_LD_LIBRARY_PATH=$STORE/lib:$C/mut" "NIX_LD_LIBRARY_CACHE=$W/m" plain | head -1)"
sleep 0.01
cp "$C/user/libfoo.so.1" "$C/mut/libnew.so.1"
notused cache-stale-new-file "$C/mut: changed since the cache was built" "NIX_LD_LIBRARY_PATH=$STORE/lib:$C/mut" "NIX_LD_LIBRARY_CACHE=$W/m"
"$MKC" -o "$W/m" "$STORE/lib" "$C/mut"
rm "$C/mut/libnew.so.1"
notused cache-stale-file-gone "$C/mut: changed since the cache was built" "NIX_LD_LIBRARY_PATH=$STORE/lib:$C/mut" "NIX_LD_LIBRARY_CACHE=$W/m"
mv "$C/mut" "$C/mut2"; mkdir "$C/mut"; cp "$C/mut2/libfoo.so.1" "$C/mut/"; rm -rf "$C/mut2"
notused cache-dir-replaced "$C/mut: changed since the cache was built" "NIX_LD_LIBRARY_PATH=$STORE/lib:$C/mut" "NIX_LD_LIBRARY_CACHE=$W/m"
# The broken-cache corpus: each is refused with its reason, before ld.so
# could read it.
python3 - "$W/c" "$W" <<'PY'
import struct, sys
src, out = sys.argv[1], sys.argv[2]
d = bytearray(open(src, 'rb').read())
ext = struct.unpack_from('<I', d, 32)[0]
def w(name, b): open(f'{out}/k-{name}', 'wb').write(bytes(b))
b = bytearray(d); b[28] = 3; w('big-endian', b)
b = bytearray(d); struct.pack_into('<I', b, 32, ext + 2); w('ext-misaligned', b)
b = bytearray(d); struct.pack_into('<I', b, 32, len(d) + 64); w('ext-past-end', b)
b = bytearray(d); struct.pack_into('<I', b, 20, 0x7fffffff); w('nlibs-huge', b)
b = bytearray(d); struct.pack_into('<I', b, ext, 0x12345678); w('ext-magic', b)
# the record: ldshim's extension section (tag "1sdl"), found through the
# extension directory (the magic's bytes may also be in the directory list)
n = struct.unpack_from('<I', d, ext + 4)[0]
i = [struct.unpack_from('<I', d, ext + 8 + 16 * k + 8)[0] for k in range(n)
     if struct.unpack_from('<I', d, ext + 8 + 16 * k)[0] == 0x6c647331][0]
b = bytearray(d); struct.pack_into('<I', b, i + 4, 99); w('record-version', b)
b = bytearray(d); struct.pack_into('<Q', b, i + 16, len(d) + 1); w('record-size', b)
b = bytearray(d); b[-1] = ord('x'); w('last-byte-not-nul', b)
b = bytearray(d) + b'\0' * 8; w('grown', b)
b = bytearray(d); struct.pack_into('<I', b, i + 8, 7); w('record-ndirs', b)
PY
for k in big-endian:"not a cache ldshim-cache wrote" ext-misaligned:"not a cache ldshim-cache wrote" \
	ext-past-end:"not a cache ldshim-cache wrote" nlibs-huge:"not a cache ldshim-cache wrote" \
	ext-magic:"not a cache ldshim-cache wrote" record-version:"another version of ldshim-cache" \
	record-size:"truncated or grown" last-byte-not-nul:"not a cache ldshim-cache wrote" \
	grown:"not a cache ldshim-cache wrote" record-ndirs:"not a cache ldshim-cache wrote"; do
	notused "cache-corpus-${k%%:*}" "${k#*:}" "NIX_LD_LIBRARY_CACHE=$W/k-${k%%:*}"
done
# A cache that is whole and current but lies (hostile): entries and
# strings overwritten at random, the header and the record kept. ld.so
# reads what ldshim points it at and must never crash on it.
python3 - "$W/c" "$W" <<'PY'
import random, struct, sys
src, out = sys.argv[1], sys.argv[2]
data = open(src, 'rb').read()
ext = struct.unpack_from('<I', data, 32)[0]
random.seed(16)
for i in range(40):
    b = bytearray(data)
    for _ in range(random.choice((1, 4, 32, 400))):
        b[random.randrange(48, ext)] = random.randrange(256)
    open(f'{out}/h{i}', 'wb').write(b)
PY
crashed=
for i in $(seq 0 39); do
	run "NIX_LD_LIBRARY_CACHE=$W/h$i" plain >/dev/null; rc=$?
	[ $rc -lt 128 ] || crashed="$crashed h$i:rc=$rc"
done
if [ -z "$crashed" ]; then pass cache-hostile-no-crash; else fail cache-hostile-no-crash "ld.so died on:$crashed"; fi

# --- what ldshim changes in ld.so: every byte, decoded ---
bytes() {   # CASE ARGS-FOR-CHECK -- [VAR=VALUE...]
	local name=$1 args=() ; shift
	while [ "$1" != -- ]; do args+=("$1"); shift; done; shift
	[ $CAPSTONE = 1 ] || { skip "$name" "libcapstone-dev is not installed"; return; }
	local out; out=$(run "$@" "" "$C/ldso-diff" | "$C/ldso-diff-check" x86_64 "${args[@]}"); local rc=$?
	if [ $rc = 0 ]; then pass "$name"; else fail "$name" "$(printf '%s\n' "$out" | head -8)"; fi
}
# No debugger is there: ld.so's code is left as the file has it (the
# debug hook is made only when gdb's breakpoint is in ldshim's
# _dl_debug_state; tests/debug/t-gdb.sh shows it then serves gdb).
bytes ldso-bytes-cache-mode --cache "$W/c" --
bytes ldso-bytes-uncached -- NIX_LD_LIBRARY_CACHE=
bytes ldso-bytes-override -- NIX_LD_MODE=override

# --- the cache path does not fit: the uncached way, said at info ---
L=$C/long-name-for-a-cache-that-cannot-fit.cache
cp "$W/c" "$L"
notused cache-does-not-fit-debian "the cache path is ${#L} bytes, ld.so has room for 16" "NIX_LD_LIBRARY_CACHE=$L"

# --- the last resort (no cache can be used: here Debian's ld.so, whose 16
# bytes hold no automatic cache's name): ld.so gets a library path, so the
# static TLS block is sized with every startup library known, as in a
# direct start: a 64 KiB initial-exec block fits (under the audit module
# it took, 16 KiB was the most). ld.so's tunables are left as they are. ---
check_eq last-resort-64k-initial-exec-tls "bigtls 8" "$(run NIX_LD_LIBRARY_CACHE= tlsprog)"
check_eq cache-64k-initial-exec-tls "bigtls 8" "$(run tlsprog)"
out=$(env -i "LD_AUDIT=$C/audit-nop.so" "LD_LIBRARY_PATH=$STORE/lib:$C/nix" "$REAL_LDSO" "$C/app/tlsprog" 2>&1)
case $out in *"cannot allocate memory in static TLS block"*) pass any-audit-module-64k-tls-fails ;;
*) fail any-audit-module-64k-tls-fails "expected the failure the last resort avoids, with a one-line audit module, got: $out" ;; esac
tun() { sed -n 's/^glibc.rtld.optional_static_tls: \([^ ]*\).*/\1/p'; }
direct=$("$REAL_LDSO" --list-tunables)
shim=$(run NIX_LD_LIBRARY_CACHE= "" "$INTERP" --list-tunables | grep -v '^ldshim')
check_eq last-resort-tunables-as-direct "$direct" "$shim"
check_eq cache-tunables-as-direct "$direct" "$(run "" "$INTERP" --list-tunables | grep -v '^ldshim')"
check_eq user-tunable-wins "0x1000" "$(run NIX_LD_LIBRARY_CACHE= GLIBC_TUNABLES=glibc.rtld.optional_static_tls=4096 "" "$INTERP" --list-tunables | tun)"

# --- the Nix case: a Nix-built glibc 2.36 at /nix/store, its ld.so reading
# /nix/store/...-glibc-2.36/etc/ld.so.cache (about 70 bytes of room) ---
TAR=$SHARED/nixglibc/glibc-2.36-nix.tar.xz
if [ ! -e "$TAR" ]; then
	skip cache-nix-glibc "no $TAR (the Nix-built glibc of ../shared/nixglibc)"
	exit 0
fi
NS=$C/nixstore
G=8m1s7yq4f0sbzdhy8lq5z0ab5xgpwcxh-glibc-2.36
mkdir -p "$NS"
tar -xJf "$TAR" -C "$NS"
LIBS=0123456789abcdfghijklmnpqrsvwxyz-ldshim-test-libs
CACHED=zyxwvsrqpnmlkjihgfdcba9876543210-ldshim-cache
mkdir -p "$NS/$LIBS/lib" "$NS/$CACHED"
cp "$C/nix/"*.so.1 "$NS/$LIBS/lib/"
"$MKC" --map "$NS=/nix/store" -o "$NS/$CACHED/ld.so.cache" "$NS/$LIBS/lib"
NC=/nix/store/$CACHED/ld.so.cache
nrun() {
	local vars=() envf
	while [ $# -gt 0 ] && [[ $1 == *=* ]]; do vars+=("$1"); shift; done
	envf=$(mktemp)
	with_env "NIX_LD=/nix/store/$G/lib/ld-linux-x86-64.so.2" \
		"NIX_LD_LIBRARY_PATH=/nix/store/$LIBS/lib" "NIX_LD_LIBRARY_CACHE=$NC" -- "${vars[@]}" > "$envf"
	"$SIM" --nix-store "$NS" --env-file "$envf" -- "$@" 2>&1
	rm -f "$envf"
}
out=$(nrun NIX_LD_LOG=info "$C/app/plain")
case $out in *"served by the library cache $NC: nothing injected"*"linked A-nix"*"bar A-nix"*"LD_AUDIT unset") pass nix-glibc-cache-used ;;
*) fail nix-glibc-cache-used "expected the Nix ld.so to read $NC, got: $out" ;; esac
check_eq nix-glibc-cache-bundle-wins "linked B-bundled
dlopen B-bundled
bar B-bundled
LD_AUDIT unset" "$(nrun "$C/app/bundled")"
check_eq nix-glibc-libc-from-its-own-lib "libc.so.6 /nix/store/$G/lib/libc.so.6" \
	"$(nrun LD_TRACE_LOADED_OBJECTS=1 "$C/app/plain" | sed -n 's/^\t*\(libc.so.6\) => \([^ ]*\).*/\1 \2/p')"
if [ $CAPSTONE = 1 ]; then
	out=$(nrun "$C/ldso-diff" | "$C/ldso-diff-check" x86_64 --cache "$NC"); rc=$?
	if [ $rc = 0 ]; then pass nix-glibc-ldso-bytes; else fail nix-glibc-ldso-bytes "$(head -8 <<<"$out")"; fi
	case $out in *"(70 bytes of room)"*) pass nix-glibc-room-70 ;; *) fail nix-glibc-room-70 "expected 70 bytes of room, got: $out" ;; esac
else skip nix-glibc-ldso-bytes "libcapstone-dev is not installed"; fi
# 71 bytes: one too many for this ld.so.
LONGC=abcdefghijklmnopqrstuvwxyz012345-ldshim-cache-long
mkdir -p "$NS/$LONGC"; cp "$NS/$CACHED/ld.so.cache" "$NS/$LONGC/ld.so.cache"
LC=/nix/store/$LONGC/ld.so.cache
out=$(nrun NIX_LD_LOG=info "NIX_LD_LIBRARY_CACHE=$LC" "$C/app/plain")
case $out in *"the cache path is ${#LC} bytes, ld.so has room for 70"*"linked A-nix"*) pass nix-glibc-does-not-fit ;;
*) fail nix-glibc-does-not-fit "expected ${#LC} bytes not to fit in 70 and the uncached way, got: $out" ;; esac
# Without a cache the Nix ld.so reads its own (missing) file, as on NixOS.
check_eq nix-glibc-uncached "linked A-nix" "$(nrun NIX_LD_LIBRARY_CACHE= "$C/app/plain" | head -1)"

# --- the automatic cache: a Nix path no cache was named for gets one,
# written once in $XDG_RUNTIME_DIR/ldshim and used by every later start ---
XR=$C/xr
rm -rf "$XR"; mkdir -m 700 "$XR"
arun() { nrun NIX_LD_LIBRARY_CACHE= "XDG_RUNTIME_DIR=$XR" "$@"; }
out=$(arun NIX_LD_LOG=info "$C/app/plain")
case $out in *"automatic library cache $XR/ldshim/"*": writing it"*"served by the library cache $XR/ldshim/"*"linked A-nix"*"LD_AUDIT unset") pass auto-cache-written ;;
*) fail auto-cache-written "expected the automatic cache written and used, got: $out" ;; esac
AC=$(ls "$XR/ldshim")
check_eq auto-cache-one-file-user-only "1 drwx------ -rw-------" \
	"$(ls "$XR/ldshim" | wc -l) $(stat -c %A "$XR/ldshim") $(stat -c %A "$XR/ldshim/$AC")"
out=$(arun NIX_LD_LOG=info "$C/app/bundled")
case $out in *"writing"*) fail auto-cache-reused "expected the cache read, not written again, got: $out" ;;
*"served by the library cache $XR/ldshim/$AC: nothing injected"*"linked B-bundled"*) pass auto-cache-reused ;;
*) fail auto-cache-reused "expected the cache used and the bundled copy, got: $out" ;; esac
check_eq auto-cache-64k-initial-exec-tls "bigtls 8" "$(arun "$C/app/tlsprog")"
# The shim's cache is ldshim-cache's format, for this list (the two
# share one writer, shim/ldcache-gen.h: tests/cache-tool checks its rules).
"$MKC" --check "$XR/ldshim/$AC" "/nix/store/$LIBS/lib" >/dev/null 2>&1 &&
	pass auto-cache-is-ldshim-cache-format || fail auto-cache-is-ldshim-cache-format "ldshim-cache --check rejects it: $("$MKC" --check "$XR/ldshim/$AC" 2>&1)"
# A directory that changes: the cache is written again.
out=$(nrun NIX_LD_LIBRARY_CACHE= "XDG_RUNTIME_DIR=$XR" "NIX_LD_LIBRARY_PATH=/nix/store/$LIBS/lib:$C/mut" NIX_LD_LOG=info "$C/app/plain")
sleep 0.01; cp "$C/user/libfoo.so.1" "$C/mut/libzz.so.1"
out=$(nrun NIX_LD_LIBRARY_CACHE= "XDG_RUNTIME_DIR=$XR" "NIX_LD_LIBRARY_PATH=/nix/store/$LIBS/lib:$C/mut" NIX_LD_LOG=info "$C/app/plain")
case $out in *"$C/mut: changed since the cache was built"*"writing it"*"served by the library cache"*"linked A-nix"*) pass auto-cache-rewritten-when-stale ;;
*) fail auto-cache-rewritten-when-stale "expected the stale automatic cache written again, got: $out" ;; esac
rm -f "$C/mut/libzz.so.1"
# Many first starts at once: each gets a whole cache; one file is left.
rm -rf "$XR/ldshim"
for i in $(seq 1 12); do arun "$C/app/plain" > "$C/par.$i" & done; wait
bad=0
for i in $(seq 1 12); do [ "$(head -1 "$C/par.$i")" = "linked A-nix" ] || bad=$((bad + 1)); done
check_eq auto-cache-parallel-first-starts "0 bad, 1 file" "$bad bad, $(ls "$XR/ldshim" | wc -l) file"
# No XDG_RUNTIME_DIR: the next home, /run/ldshim for root (the simulated
# NixOS's own /run; tests/cache/t-homes.sh has every home).
out=$(nrun NIX_LD_LIBRARY_CACHE= NIX_LD_LOG=info "$C/app/plain")
case $out in *"served by the library cache /run/ldshim/"*"linked A-nix"*) pass auto-cache-without-runtime-dir ;;
*) fail auto-cache-without-runtime-dir "expected a cache in /run/ldshim, got: $out" ;; esac
chmod 755 "$XR/ldshim"
out=$(arun NIX_LD_LOG=info "$C/app/plain")
case $out in *"not a directory of the user's own, mode 0700"*"linked A-nix"*) pass auto-cache-dir-not-private ;;
*) fail auto-cache-dir-not-private "expected a group/other-readable ldshim directory refused, got: $out" ;; esac
chmod 700 "$XR/ldshim"; chown 65534 "$XR/ldshim"
out=$(arun NIX_LD_LOG=info "$C/app/plain")
case $out in *"not a directory of the user's own, mode 0700"*"linked A-nix"*) pass auto-cache-dir-not-users ;;
*) fail auto-cache-dir-not-users "expected another user's ldshim directory refused, got: $out" ;; esac
chown 0 "$XR/ldshim"; chown 65534 "$XR/ldshim/$AC"
out=$(arun NIX_LD_LOG=info "$C/app/plain")
case $out in *"not the user's own"*"writing it"*"linked A-nix"*) pass auto-cache-file-not-users ;;
*) fail auto-cache-file-not-users "expected another user's file replaced, got: $out" ;; esac
# A directory list a cache cannot serve (hwcaps subdirectories): none.
mkdir -p "$C/hw/glibc-hwcaps/x86-64-v3"; cp "$C/nix/libfoo.so.1" "$C/hw/"
out=$(nrun NIX_LD_LIBRARY_CACHE= "XDG_RUNTIME_DIR=$XR" "NIX_LD_LIBRARY_PATH=$C/hw:/nix/store/$LIBS/lib" NIX_LD_LOG=info "$C/app/plain")
case $out in *"not written: a directory has hwcaps subdirectories"*"last resort (no library cache)"*"linked A-nix"*) pass auto-cache-refuses-hwcaps ;;
*) fail auto-cache-refuses-hwcaps "expected no cache and the last resort, got: $out" ;; esac
