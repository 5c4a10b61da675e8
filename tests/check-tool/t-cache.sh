# ldshim-check and the library cache: which cache a start gets (the
# variables, --cache, the built-in default for the default path, the
# automatic cache and its homes), why one is not used, names served from
# its entries, and the last resort of a start that gets no cache. Each
# answer is compared with what build/ldshim itself does (run as a command,
# at NIX_LD_LOG=info). Debian's ld.so (16 bytes for the cache path: the caches
# here have short names); as root, in a private mount namespace, also the
# Nix-built glibc 2.36 of ../shared/nixglibc under /nix/store (70 bytes),
# the built-in default path and $XDG_RUNTIME_DIR under /run.
. "$(dirname "$0")/../lib.sh"
CHECK=$BUILD/ldshim-check MKC=$BUILD/ldshim-cache
for f in "$CHECK" "$MKC" "$LDSHIM"; do
	[ -x "$f" ] || [ -f "$f" ] || make -s -C "$ROOT" >/dev/null || { fail build "make failed"; exit 0; }
done
# Short: Debian's ld.so holds a cache path of 16 bytes, "/tmp/lck.XXXX/c" is 15.
D=$(mktemp -d /tmp/lck.XXXX); trap 'rm -rf "$D"' EXIT
chmod 755 "$D"
cp "$CHECK" "$D/k"; CHECK=$D/k
mkdir -p "$D"/{src,nix,one,two,hw/glibc-hwcaps/x86-64-v3,xr,tls}
chmod 700 "$D/xr"
printf 'const char *foo_version(void) { return VERSION; }\n' > "$D/src/foo.c"
printf '#include <stdio.h>\nconst char *foo_version(void);\nint main(void) { printf("foo %%s\\n", foo_version()); return 0; }\n' > "$D/src/prog.c"
gcc -shared -fPIC -DVERSION='"A"' -Wl,-soname,libfoo.so.1 -o "$D/nix/libfoo.so.1" "$D/src/foo.c"
gcc -shared -fPIC -DVERSION='"B"' -Wl,-soname,libfoo.so.1 -o "$D/two/libfoo.so.1" "$D/src/foo.c"
cp "$D/nix/libfoo.so.1" "$D/hw/"
gcc -o "$D/prog" "$D/src/prog.c" -L"$D/nix" -l:libfoo.so.1
gcc -shared -fPIC -o "$D/audit-nop.so" "$ROOT/tests/debug/audit-nop.c"

# ck VAR=VALUE... -- ARGS: ldshim-check with exactly these variables.
# shim VAR=VALUE... -- ARGS: build/ldshim run as a command with them, at info.
ck() { local v=(); while [ "$1" != -- ]; do v+=("$1"); shift; done; shift; env -i "${v[@]}" "$CHECK" "$@" 2>&1; }
shim() { local v=(); while [ "$1" != -- ]; do v+=("$1"); shift; done; shift; env -i NIX_LD_LOG=info "${v[@]}" "$LDSHIM" "$@" 2>&1; }
# has CASE LINE OUTPUT: OUTPUT has LINE on a line of its own.
has() {
	if grep -qxF -- "$2" <<<"$3"; then pass "$1"; else
		fail "$1" "expected a line '$2', got:"; sed -n '1,20s/^/    /p' <<<"$3"; fi
}
# same_reason CASE CHECK-OUTPUT SHIM-OUTPUT: every "not used"/"no ... cache"
# reason ldshim-check gives is a line ldshim itself logs.
same_reason() {
	local c=$1 k=$2 s=$3 line want n=0
	while IFS= read -r line; do
		case $line in
		"  library cache "*" not used: "*) want="ldshim: ${line#  }"
			# ld.so's own refusal is logged without where the cache came from.
			grep -qxF -- "$want" <<<"$s" || want=$(sed 's/^\(ldshim: library cache [^ ]*\) ([^)]*)\( not used: \)/\1\2/' <<<"$want") ;;
		"  automatic library cache: not in "*) want="ldshim: ${line#  }" ;;
		"  library cache: none ("*"): the last resort"*)
			want=${line#  library cache: none (}; want=${want%%): the last resort*}
			case $want in "automatic library cache"*) want="ldshim: $want" ;; *) want="ldshim: no library cache: $want" ;; esac ;;
		*) continue ;;
		esac
		n=$((n + 1))
		grep -qxF -- "$want" <<<"$s" || { fail "$c" "ldshim does not say '$want'; it says:"; sed -n '1,12s/^/    /p' <<<"$s"; return; }
	done <<<"$k"
	if [ $n -gt 0 ]; then pass "$c"; else fail "$c" "ldshim-check gave no reason:"; sed -n '1,12s/^/    /p' <<<"$k"; fi
}
# FNV-1a 64 of the system's name (its NUL included) and each directory
# (trailing slashes stripped) with ':': the automatic cache's name, as
# README says, written out again here.
fnv() {
	python3 - "$1" <<'PY'
import sys
h = 0xcbf29ce484222325
def f(h, b):
    for c in b:
        h = ((h ^ c) * 0x100000001b3) & 0xffffffffffffffff
    return h
h = f(h, b"x86_64_linux\0")
for d in sys.argv[1].split(":"):
    if d:
        while len(d) > 1 and d.endswith("/"):
            d = d[:-1]
        h = f(f(h, d.encode()), b":")
print("%016x" % h)
PY
}
DEB=("NIX_LD=$REAL_LDSO")

# --- a cache that serves: names from its entries ---
"$MKC" -o "$D/c" "$D/nix"
out=$(ck "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$D/nix" "NIX_LD_LIBRARY_CACHE=$D/c" -- "$D/prog"); rc=$?
check_eq cache-serves-ok "rc=0 $D/prog: ok" "rc=$rc $(head -1 <<<"$out")"
has cache-serves-line "  library cache: $D/c (NIX_LD_LIBRARY_CACHE) serves the Nix library path" "$out"
has cache-serves-name "  libfoo.so.1 => $D/nix/libfoo.so.1 (library cache $D/c)" "$out"
s=$(shim "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$D/nix" "NIX_LD_LIBRARY_CACHE=$D/c" -- "$D/prog")
case $s in *"served by the library cache $D/c"*"foo A"*) pass cache-serves-as-ldshim ;;
*) fail cache-serves-as-ldshim "expected ldshim to use $D/c, got: $s" ;; esac
out=$(ck "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$D/nix" "NIX_LD_LIBRARY_CACHE=$D/c" -- --json "$D/prog")
got=$(python3 -c 'import json,sys; f=json.load(sys.stdin)["files"][0]; c=f["library_cache"]
print(c["way"], c["file"], c["source"], c["serves"], c["ldso_room"], f["libraries"][0]["library_cache"], "static_tls" in f)' <<<"$out")
check_eq cache-serves-json "cache $D/c NIX_LD_LIBRARY_CACHE True 16 $D/c False" "$got"

# --- stale but accepted: the names are the cache's, as ld.so reads them.
# A library added to the first directory, its mtime put back: the cache
# still passes ldshim's check and names two/'s copy, which ld.so loads,
# though a search of the directories would find one/'s. ---
"$MKC" -o "$D/s" "$D/one" "$D/two"
python3 - "$D/one" "$D/nix/libfoo.so.1" <<'PY'
import os, shutil, sys
st = os.stat(sys.argv[1])
shutil.copy(sys.argv[2], sys.argv[1])
os.utime(sys.argv[1], ns=(st.st_atime_ns, st.st_mtime_ns))
PY
P2=$D/one:$D/two
out=$(ck "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$P2" "NIX_LD_LIBRARY_CACHE=$D/s" -- "$D/prog")
has stale-accepted-name-from-cache "  libfoo.so.1 => $D/two/libfoo.so.1 (library cache $D/s)" "$out"
s=$(shim "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$P2" "NIX_LD_LIBRARY_CACHE=$D/s" -- "$D/prog")
direct=$(env -i "LD_LIBRARY_PATH=$P2" "$REAL_LDSO" "$D/prog" 2>&1)
check_eq stale-accepted-ldshim-loads-it "foo B / search: foo A" "$(tail -1 <<<"$s") / search: $direct"

# --- stale: the directory changed; ldshim's reason, the uncached way ---
touch "$D/one"
out=$(ck "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$P2" "NIX_LD_LIBRARY_CACHE=$D/s" -- "$D/prog")
has stale-reason "  library cache $D/s (NIX_LD_LIBRARY_CACHE) not used: $D/one: changed since the cache was built (run ldshim-cache again)" "$out"
has stale-last-resort "  library cache: none (no home takes the automatic cache): the last resort, ld.so gets a library path (LD_LIBRARY_PATH, the program's RUNPATH, the Nix path)" "$out"
has stale-name-by-search "  libfoo.so.1 => $D/one/libfoo.so.1" "$out"
same_reason stale-reason-is-ldshims "$out" "$(shim "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$P2" "NIX_LD_LIBRARY_CACHE=$D/s" -- "$D/prog")"

# --- a cache built for another path ---
out=$(ck "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$D/two:$D/nix" "NIX_LD_LIBRARY_CACHE=$D/c" -- "$D/prog")
has other-path-reason "  library cache $D/c (NIX_LD_LIBRARY_CACHE) not used: built for $D/nix, not for this path" "$out"
same_reason other-path-is-ldshims "$out" "$(shim "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$D/two:$D/nix" "NIX_LD_LIBRARY_CACHE=$D/c" -- "$D/prog")"
# NIX_LD_LIBRARY_CACHE_x86_64_linux beats NIX_LD_LIBRARY_CACHE (which is then not tried).
out=$(ck "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$D/nix" "NIX_LD_LIBRARY_CACHE=$D/c" "NIX_LD_LIBRARY_CACHE_x86_64_linux=$D/s" -- "$D/prog")
has system-variable-first "  library cache $D/s (NIX_LD_LIBRARY_CACHE_x86_64_linux) not used: built for $D/one:$D/two, not for this path" "$out"
same_reason system-variable-is-ldshims "$out" "$(shim "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$D/nix" "NIX_LD_LIBRARY_CACHE=$D/c" "NIX_LD_LIBRARY_CACHE_x86_64_linux=$D/s" -- "$D/prog")"

# --- --cache names one, in place of the variables ---
out=$(ck "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$D/nix" "NIX_LD_LIBRARY_CACHE=$D/s" -- --cache "$D/c" "$D/prog")
has cache-option "  library cache: $D/c (--cache) serves the Nix library path" "$out"
case $out in *"$D/s"*) fail cache-option-replaces-variable "NIX_LD_LIBRARY_CACHE still looked at: $out" ;; *) pass cache-option-replaces-variable ;; esac
out=$(ck "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$D/nix" -- --cache "$D/none" "$D/prog")
has cache-option-missing "  library cache $D/none (--cache) not used: No such file or directory" "$out"

# --- what does not fit Debian's 16 bytes ---
L=$D/a-cache-name-too-long
cp "$D/c" "$L"
out=$(ck "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$D/nix" "NIX_LD_LIBRARY_CACHE=$L" -- "$D/prog")
has does-not-fit "  library cache $L (NIX_LD_LIBRARY_CACHE) not used: $REAL_LDSO: the cache path is ${#L} bytes, ld.so has room for 16" "$out"
same_reason does-not-fit-is-ldshims "$out" "$(shim "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$D/nix" "NIX_LD_LIBRARY_CACHE=$L" -- "$D/prog")"
# The automatic cache's name (worked out, nothing made) does not fit either.
H=$(fnv "$D/nix")
out=$(ck "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$D/nix" "XDG_RUNTIME_DIR=$D/xr" -- "$D/prog")
A=$D/xr/ldshim/$H
has auto-name-does-not-fit "  automatic library cache: not in $D/xr/ldshim: the name would be ${#A} bytes, ld.so has room for 16" "$out"
if [ -e "$D/xr/ldshim" ]; then fail check-makes-nothing "ldshim-check made $D/xr/ldshim"; else pass check-makes-nothing; fi
same_reason auto-name-is-ldshims "$out" "$(shim "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$D/nix" "XDG_RUNTIME_DIR=$D/xr" -- "$D/prog")"
# In override mode there is no cache to speak of.
out=$(ck "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$D/nix" "NIX_LD_LIBRARY_CACHE=$D/c" NIX_LD_MODE=override -- "$D/prog")
case $out in *"library cache"*) fail override-no-cache "expected no cache in override mode: $out" ;; *) pass override-no-cache ;; esac

# --- static TLS: the last resort lends ld.so a library path, so ld.so
# sizes the static TLS block with every startup library loaded, as in a
# direct start: a toolchain-sized initial-exec block (24 KiB, 64 KiB)
# starts, and ldshim-check says ok. (Under the audit module this start
# once took, 16 KiB was the most.) ---
cat > "$D/src/tls.c" <<'EOF'
__attribute__((tls_model("initial-exec"))) __thread char bigtls[TLS_BYTES] = { 1 };
int bigtls_touch(void) { bigtls[sizeof bigtls - 1] = 7; return bigtls[0] + bigtls[sizeof bigtls - 1]; }
EOF
printf '#include <stdio.h>\nint bigtls_touch(void);\nint main(void) { printf("bigtls %%d\\n", bigtls_touch()); return 0; }\n' > "$D/src/tlsprog.c"
for n in 24576 65536; do
	T=$D/tls/$n; mkdir -p "$T"
	gcc -shared -fPIC -DTLS_BYTES="$n" -Wl,-soname,libbigtls.so.1 -o "$T/libbigtls.so.1" "$D/src/tls.c"
	gcc -o "$T/prog" "$D/src/tlsprog.c" -L"$T" -l:libbigtls.so.1
	out=$(ck "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$T" -- "$T/prog"); rc=$?
	s=$(shim "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$T" -- "$T/prog")
	check_eq "tls-last-resort-$n" "rc=0 $T/prog: ok / bigtls 8" "rc=$rc $(head -1 <<<"$out") / $(tail -1 <<<"$s")"
done
T24=$D/tls/24576
out=$(ck "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$T24" -- --json "$T24/prog")
got=$(python3 -c 'import json,sys; f=json.load(sys.stdin)["files"][0]
print(f["status"], f["library_cache"]["way"], "static_tls" in f, len(f["library_cache"]["homes_passed"]))' <<<"$out")
check_eq tls-json-last-resort "ok last-resort False 4" "$got"
# With a cache there is no such limit: ld.so sizes the block after loading.
"$MKC" -o "$D/t" "$T24"
out=$(ck "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$T24" "NIX_LD_LIBRARY_CACHE=$D/t" -- "$T24/prog"); rc=$?
s=$(shim "${DEB[@]}" "NIX_LD_LIBRARY_PATH=$T24" "NIX_LD_LIBRARY_CACHE=$D/t" -- "$T24/prog")
check_eq tls-cache-no-limit "rc=0 $T24/prog: ok / bigtls 8" "rc=$rc $(head -1 <<<"$out") / $(tail -1 <<<"$s")"

# --- as root: the Nix-style glibc (70 bytes), the built-in default path,
# the automatic cache, in a private mount namespace ---
if ! is_root; then
	skip cache-nix-glibc "needs root (a private /nix/store and /run)"
	exit 0
fi
TAR=$ROOT/../shared/nixglibc/glibc-2.36-nix.tar.xz
[ -e "$TAR" ] || TAR=/work/shared/nixglibc/glibc-2.36-nix.tar.xz
if [ ! -e "$TAR" ]; then skip cache-nix-glibc "no $TAR"; exit 0; fi
mkdir -p /nix/store
export D CHECK MKC LDSHIM TAR ROOT
declare -f ck shim has same_reason fnv > "$D/fns.sh"
cat > "$D/ns.sh" <<'EOF'
. "$ROOT/tests/lib.sh"
. "$D/fns.sh"
mount -t tmpfs none /nix/store && mount -t tmpfs none /run || { fail ns "cannot mount"; exit 0; }
tar -xJf "$TAR" -C /nix/store
NLD=/nix/store/8m1s7yq4f0sbzdhy8lq5z0ab5xgpwcxh-glibc-2.36/lib/ld-linux-x86-64.so.2
NIX=("NIX_LD=$NLD")

# The built-in default: the default path's own cache, made as the NixOS
# module does (beside the directory, which then looks as it did).
DEF=/run/current-system/sw/share/nix-ld/lib
mkdir -p "$DEF"; cp "$D/nix/libfoo.so.1" "$DEF/"
"$MKC" -o /run/x.cache "$DEF"
python3 -c 'import os,sys; s=os.stat(sys.argv[1]); os.rename(sys.argv[2], sys.argv[3]); os.utime(sys.argv[1], ns=(s.st_atime_ns, s.st_mtime_ns))' "$DEF" /run/x.cache "$DEF/ld.so.cache"
out=$(ck "${NIX[@]}" -- "$D/prog")
has default-path-cache "  library cache: $DEF/ld.so.cache (built-in default) serves the Nix library path" "$out"
has default-path-name "  libfoo.so.1 => $DEF/libfoo.so.1 (library cache $DEF/ld.so.cache)" "$out"
s=$(shim "${NIX[@]}" -- "$D/prog")
case $s in *"served by the library cache $DEF/ld.so.cache"*"foo A"*) pass default-path-as-ldshim ;;
*) fail default-path-as-ldshim "expected ldshim to use $DEF/ld.so.cache, got: $s" ;; esac
# The variable's cache first; the built-in one only when that cannot serve.
cp "$DEF/ld.so.cache" /run/e.cache
out=$(ck "${NIX[@]}" NIX_LD_LIBRARY_CACHE=/run/e.cache -- "$D/prog")
case $out in *"  library cache: /run/e.cache (NIX_LD_LIBRARY_CACHE) serves the Nix library path"*"built-in default"*) fail first-usable-wins "the built-in default was looked at too: $out" ;;
*"  library cache: /run/e.cache (NIX_LD_LIBRARY_CACHE) serves the Nix library path"*) pass first-usable-wins ;;
*) fail first-usable-wins "expected /run/e.cache to serve: $out" ;; esac
out=$(ck "${NIX[@]}" NIX_LD_LIBRARY_CACHE=/run/none -- "$D/prog")
has default-after-variable "  library cache /run/none (NIX_LD_LIBRARY_CACHE) not used: No such file or directory" "$out"
has default-after-variable-serves "  library cache: $DEF/ld.so.cache (built-in default) serves the Nix library path" "$out"
out=$(ck "${NIX[@]}" "NIX_LD_LIBRARY_PATH=$DEF/" -- "$D/prog")
has default-path-slash "  library cache: $DEF/ld.so.cache (built-in default) serves the Nix library path" "$out"
out=$(ck "${NIX[@]}" "NIX_LD_LIBRARY_PATH=$DEF:$D/two" -- "$D/prog")
case $out in *"built-in default"*) fail default-only-for-default-path "the built-in cache was tried for another path: $out" ;;
*) pass default-only-for-default-path ;; esac
same_reason default-other-path-is-ldshims "$out" "$(shim "${NIX[@]}" "NIX_LD_LIBRARY_PATH=$DEF:$D/two" -- "$D/prog")"
out=$(ck "NIX_LD=$REAL_LDSO" -- "$D/prog")
has default-path-debian-room "  library cache $DEF/ld.so.cache (built-in default) not used: $REAL_LDSO: the cache path is $(( ${#DEF} + 12 )) bytes, ld.so has room for 16" "$out"
same_reason default-path-debian-is-ldshims "$out" "$(shim "NIX_LD=$REAL_LDSO" -- "$D/prog")"

# The automatic cache: the name ldshim-check gives (without making
# anything), the one README's hash gives, and the file ldshim writes.
XR=/run/user/0
mkdir -p -m 700 "$XR"
AUTO=("NIX_LD_LIBRARY_PATH=$D/nix" "XDG_RUNTIME_DIR=$XR")
H=$(fnv "$D/nix")
out=$(ck "${NIX[@]}" "${AUTO[@]}" -- "$D/prog")
has auto-would-write "  library cache: ldshim would write the automatic cache $XR/ldshim/$H and use it (now: No such file or directory; its directory is made too)" "$out"
if [ -e "$XR/ldshim" ]; then fail auto-check-makes-nothing "ldshim-check made $XR/ldshim"; else pass auto-check-makes-nothing; fi
s=$(shim "${NIX[@]}" "${AUTO[@]}" -- "$D/prog")
check_eq auto-name-as-ldshim-writes "$H" "$(ls "$XR/ldshim" 2>&1)"
out=$(ck "${NIX[@]}" "${AUTO[@]}" -- "$D/prog")
has auto-serves "  library cache: $XR/ldshim/$H (the automatic cache) serves the Nix library path" "$out"
has auto-serves-name "  libfoo.so.1 => $D/nix/libfoo.so.1 (library cache $XR/ldshim/$H)" "$out"
sleep 0.01; cp "$D/nix/libfoo.so.1" "$D/nix/libnew.so.1"
out=$(ck "${NIX[@]}" "${AUTO[@]}" -- "$D/prog")
has auto-stale-rewritten "  library cache: ldshim would write the automatic cache $XR/ldshim/$H and use it (now: $D/nix: changed since the cache was built (run ldshim-cache again))" "$out"
s=$(shim "${NIX[@]}" "${AUTO[@]}" -- "$D/prog")
case $s in *"automatic library cache $XR/ldshim/$H: $D/nix: changed since the cache was built (run ldshim-cache again): writing it"*) pass auto-stale-as-ldshim ;;
*) fail auto-stale-as-ldshim "expected ldshim to write it again, got: $s" ;; esac
rm -f "$D/nix/libnew.so.1"
# A directory list no cache can serve: the last resort.
out=$(ck "${NIX[@]}" "NIX_LD_LIBRARY_PATH=$D/hw" "XDG_RUNTIME_DIR=$XR" -- "$D/prog")
case $out in *"library cache: none (automatic library cache $XR/ldshim/"*" not written: "*"hwcaps"*"): the last resort"*) pass auto-hwcaps-refused ;;
*) fail auto-hwcaps-refused "expected no cache for a directory with glibc-hwcaps/, got: $out" ;; esac
same_reason auto-hwcaps-is-ldshims "$out" "$(shim "${NIX[@]}" "NIX_LD_LIBRARY_PATH=$D/hw" "XDG_RUNTIME_DIR=$XR" -- "$D/prog")"
# A named cache that does not fit the Nix ld.so's 70 bytes: the automatic one.
L=/run/a-name-for-a-library-cache-that-is-longer-than-seventy-bytes.cache
"$MKC" -o "$L" "$D/nix"
s=$(shim "${NIX[@]}" "${AUTO[@]}" "NIX_LD_LIBRARY_CACHE=$L" -- "$D/prog")
out=$(ck "${NIX[@]}" "${AUTO[@]}" "NIX_LD_LIBRARY_CACHE=$L" -- "$D/prog")
has nix-does-not-fit "  library cache $L (NIX_LD_LIBRARY_CACHE) not used: $NLD: the cache path is ${#L} bytes, ld.so has room for 70" "$out"
has nix-does-not-fit-auto "  library cache: $XR/ldshim/$H (the automatic cache) serves the Nix library path" "$out"
same_reason nix-does-not-fit-is-ldshims "$out" "$s"
EOF
unshare -m --propagation private bash "$D/ns.sh"
