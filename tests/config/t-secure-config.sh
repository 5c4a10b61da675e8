# AT_SECURE and the configuration files: a setuid-root program started by
# nobody, who has a user file naming a hostile ld.so and library path.
# Only the root-owned system file counts (its ld.so is used: the built-in
# default does not exist here); the user file is never read.
. "$(dirname "$0")/../lib.sh"
is_root || { skip secure-config "needs root: setuid files, the simulated NixOS"; exit 0; }
. "$ROOT/tests/security/secure-fixture.sh"
secure_fixture secure-config shim home home/.config
cp "$W/secprog" "$W/secprog-nosuid"
chown root:root "$W/secprog"; chmod 4755 "$W/secprog"; chmod 755 "$W/secprog-nosuid"

C=$W/ldshim.conf
printf 'ld.so = %s\nallow-user-config = yes\n' "$W/lib/ld-linux-x86-64.so.2" > "$C"
chmod 644 "$C"
printf 'ld.so = %s\nlibrary-path = %s\n[program %s]\nld.so = %s\n' \
	"$W/evil/ld.so" "$W/evil" "$W/secprog" "$W/evil/ld.so" > "$W/home/.config/ldshim.conf"
chown -R 65534:65534 "$W/home"; chmod 644 "$W/home/.config/ldshim.conf"
if ! make -s -C "$ROOT" B="$W/shim" CONFIG_PATH="$C" DEFAULT_NIX_LD="$W/no-such-ld.so" \
	DEFAULT_NIX_LD_LIBRARY_PATH="$W/no-such-dir" all >/dev/null 2>"$W/make.err"; then
	fail secure-config-build "make of the ldshim variant failed: $(head -c 600 "$W/make.err")"
	exit 0
fi
as_nobody() {
	local f; f=$(mktemp "$W/env.XXXXXX")
	printf '%s\0' "HOME=$W/home" "NIX_LD_LOG=info" > "$f"
	"$SIM" --ldshim "$W/shim/ldshim" --env-file "$f" -- "$T/asuser" 65534 65534 "$@"
}
marker() { if [ -e "$M" ]; then cat "$M"; rm -f "$M"; else echo none; fi; }

# Control: not setuid, the user's file is honoured (its ld.so runs).
out=$(as_nobody "$W/secprog-nosuid" 2>&1); rc=$?
check_eq secure-config-control-user-file-read "rc=66 marker=evil ld.so ran" "rc=$rc marker=$(marker)"
out=$(as_nobody "$W/secprog" 2>&1); rc=$?
# (NIX_LD_LOG is ignored in secure mode; that it starts at all shows the
# system file's ld.so was used, the built-in default does not exist.)
case "$rc $out" in "0 who: good, secure 1, uid 65534, euid 0") ok=1 ;; *) ok=0 ;; esac
m=$(marker)
if [ $ok = 1 ] && [ "$m" = none ]; then pass secure-config-user-file-ignored
else fail secure-config-user-file-ignored "expected the system file's ld.so, libwho good, no marker; got rc $rc marker $m: $out"; fi
