# AT_SECURE and the library cache: a setuid-root foreign program, started
# by nobody, whose library is only in the Nix library path. ld.so ignores
# LD_LIBRARY_PATH for it, so the last resort cannot help;
# the system file's cache can, under the file's own trust rules (owned by
# root, not writable by group or others), and so must every directory it
# names be. A cache named by nobody (NIX_LD_LIBRARY_CACHE, the user's
# file) is never used there.
. "$(dirname "$0")/../lib.sh"
is_root || { skip secure-cache "needs root: setuid files, the simulated NixOS"; exit 0; }
MKC=$BUILD/ldshim-cache
[ -x "$MKC" ] || { fail secure-cache-tool-built "expected $MKC (run make)"; exit 0; }
. "$ROOT/tests/security/secure-fixture.sh"
secure_fixture secure-cache nixlib home home/.config
cc_prog "$W/nixlib/libwho.so.1" $P/who.c -- -shared -fPIC -Wl,-soname,libwho.so.1 -DWHO='"nix"'
# No RUNPATH: libwho comes from the Nix library path or not at all.
cc_prog "$W/secnix" $P/secprog.c -- -L"$W/lib" -l:libwho.so.1
cp "$W/secnix" "$W/secnix-nosuid"
chown root:root "$W/secnix"; chmod 4755 "$W/secnix"; chmod 755 "$W/secnix-nosuid"
# Debian's ld.so has room for 16 bytes: the caches live at short names.
K=$(mktemp -d /tmp/lsc.XXXX)
trap 'rm -rf "$W" "$K"' EXIT
chmod 755 "$K"
"$MKC" -o "$K/c" "$W/nixlib" "$W/lib" >/dev/null
"$MKC" -o "$K/e" "$W/evil" "$W/lib" >/dev/null
chown 65534:65534 "$K/e"

C=$W/ldshim.conf
conf() { printf '%s\n' "$@" > "$C"; chmod 644 "$C"; }
conf "ld.so = $W/lib/ld-linux-x86-64.so.2" "library-path = $W/nixlib:$W/lib" "library-cache = $K/c"
if ! make -s -C "$ROOT" B="$W/shim" CONFIG_PATH="$C" DEFAULT_NIX_LD="$W/no-such-ld.so" \
	DEFAULT_NIX_LD_LIBRARY_PATH="$W/no-such-dir" all >/dev/null 2>"$W/make.err"; then
	fail secure-cache-build "make of the ldshim variant failed: $(head -c 600 "$W/make.err")"
	exit 0
fi
as_nobody() {   # [VAR=VALUE...] PROG
	local f vars=(); f=$(mktemp "$W/env.XXXXXX")
	while [ $# -gt 0 ] && [[ $1 == *=* ]]; do vars+=("$1"); shift; done
	printf '%s\0' "HOME=$W/home" "${vars[@]}" > "$f"
	"$SIM" --ldshim "$W/shim/ldshim" --env-file "$f" -- "$T/asuser" 65534 65534 "$@" 2>&1
}
marker() { if [ -e "$M" ]; then cat "$M"; rm -f "$M"; else echo none; fi; }
good="who: nix, secure 1, uid 65534, euid 0"

check_eq secure-cache-system-file "$good rc=0" "$(as_nobody "$W/secnix") rc=$?"
# What nobody names is ignored: the variables, and (not read at all in
# secure mode) the user's file.
out=$(as_nobody "NIX_LD_LIBRARY_CACHE=$K/e" "NIX_LD_LIBRARY_PATH=$W/evil:$W/lib" "$W/secnix"); rc=$?
check_eq secure-cache-env-ignored "$good rc=0 marker=none" "$out rc=$rc marker=$(marker)"
conf "ld.so = $W/lib/ld-linux-x86-64.so.2" "library-path = $W/nixlib:$W/lib" "library-cache = $K/c" "allow-user-config = yes"
printf 'library-path = %s\nlibrary-cache = %s\n' "$W/evil:$W/lib" "$K/e" > "$W/home/.config/ldshim.conf"
chown -R 65534:65534 "$W/home"; chmod 644 "$W/home/.config/ldshim.conf"
out=$(as_nobody "$W/secnix"); rc=$?
check_eq secure-cache-user-file-ignored "$good rc=0 marker=none" "$out rc=$rc marker=$(marker)"
# Control: not setuid, nobody's own choices count (and the evil library
# leaves its marker).
out=$(as_nobody "NIX_LD_LIBRARY_CACHE=$K/e" "NIX_LD_LIBRARY_PATH=$W/evil:$W/lib" "$W/secnix-nosuid"); rc=$?
check_eq secure-cache-control-env-used "who: poison, secure 0, uid 65534, euid 65534 rc=0 marker=poisoned libwho ran" "$out rc=$rc marker=$(marker)"

# The trust rules: the cache file, then a directory it names.
notrust() {  # CASE
	local out rc; out=$(as_nobody "$W/secnix"); rc=$?
	case "$rc $out" in
	"127 "*"libwho.so.1: cannot open shared object file"*) pass "$1" ;;
	*) fail "$1" "expected ld.so's own failure (the cache not used, nothing else injected), got rc $rc: $out" ;;
	esac
}
conf "ld.so = $W/lib/ld-linux-x86-64.so.2" "library-path = $W/nixlib:$W/lib" "library-cache = $K/c"
chmod 666 "$K/c"; notrust secure-cache-file-writable; chmod 644 "$K/c"
chown 65534 "$K/c"; notrust secure-cache-file-not-roots; chown 0 "$K/c"
chmod 777 "$W/nixlib"; "$MKC" -o "$K/c" "$W/nixlib" "$W/lib" >/dev/null
notrust secure-cache-dir-writable
chmod 755 "$W/nixlib"; "$MKC" -o "$K/c" "$W/nixlib" "$W/lib" >/dev/null
check_eq secure-cache-trusted-again "$good rc=0" "$(as_nobody "$W/secnix") rc=$?"
