# Environment extremes through the simulated NixOS: the program's environ
# must be byte for byte the environment it was started with, and it must
# start (exit 0). Empty env, 100,000 variables, values at the kernel's
# MAX_ARG_STRLEN, library paths with empty elements, empty NIX_LD, and
# names and values with unusual bytes.
. "$(dirname "$0")/../lib.sh"
is_root || { skip env-extremes "needs root for the simulated NixOS"; exit 0; }
store_init
say_start "a user's NIX_LD_LIBRARY_PATH, no XDG_RUNTIME_DIR" "${NIX_ENV[@]}"
cc_prog "$T/envfile" tests/security/progs/envfile.c
D=$(mktemp -d "$T/env-extremes.XXXXXX")
trap 'rm -rf "$D"' EXIT
# A variant whose built-in defaults are the store: it needs no NIX_LD*
# variable, so there is no slot to lend (the stack-copy case).
V=$T/security-shim
if ! make -s -C "$ROOT" B="$V" DEFAULT_NIX_LD="$STORE_LDSO" \
	DEFAULT_NIX_LD_LIBRARY_PATH="$STORE/lib" all >/dev/null 2>"$D/make.err"; then
	fail env-shim-build "$(head -c 600 "$D/make.err")"; exit 0
fi

# case NAME SHIM: run envfile with the NUL-separated environment on stdin
# (written to $D/NAME.in) and compare what it saw.
case_env() {
	local name=$1 shim=$2 in=$D/case.in out=$D/case.out
	cat > "$in"
	cp "$in" "$D/case.envfile"
	local msg rc
	msg=$("$SIM" --ldshim "$shim" --env-file "$D/case.envfile" -- "$T/envfile" "$out" 2>&1); rc=$?
	if [ "$rc" != 0 ]; then
		fail "$name" "expected exit 0, got $rc: ${msg:0:400}"
	elif ! cmp -s "$in" "$out"; then
		fail "$name" "environ differs from the input ($(stat -c %s "$in") bytes in, $(stat -c %s "$out") out): $(cmp "$in" "$out" 2>&1 | head -c 200)"
	else
		pass "$name"
	fi
	rm -f "$in" "$out"
}
nix() { printf '%s\0' "${NIX_ENV[@]}"; }
many() { local i; for ((i = 0; i < 100000; i++)); do printf 'V%d=x\0' "$i"; done; }
rep() { head -c "$2" < /dev/zero | tr '\0' "$1"; }    # rep CHAR N

case_env env-empty "$V/ldshim" < /dev/null
{ nix; many; } | case_env env-100k-vars-lend-slot "$LDSHIM"
many | case_env env-100k-vars-copy "$V/ldshim"
{ many; printf 'LD_LIBRARY_PATH=/u\0'; nix; } | case_env env-100k-vars-user-path "$LDSHIM"

# MAX_ARG_STRLEN (131072) counts the whole entry and its NUL.
max=131072
{ printf 'NIX_LD=%s\0' "$STORE_LDSO"
  printf 'LD_LIBRARY_PATH=/%s\0' "$(rep u $((max - 18)))"
  printf 'NIX_LD_LIBRARY_PATH=%s:/%s\0' "$STORE/lib" "$(rep n $((max - 23 - ${#STORE} - 4)))"
} | case_env env-max-strlen-both-paths "$LDSHIM"
{ printf 'LD_LIBRARY_PATH=%s\0' "$(rep : $((max - 17)))"; nix; } | case_env env-max-strlen-colons "$LDSHIM"
{ printf 'BIG=%s\0' "$(rep b $((max - 5)))"; nix; } | case_env env-max-strlen-other "$V/ldshim"

# Empty elements, ':' only, empty values.
for u in "" ":" "::a::" ":$STORE/lib:"; do
	for n in ":$STORE/lib::" "::$STORE/lib"; do
		printf 'LD_LIBRARY_PATH=%s\0NIX_LD=%s\0NIX_LD_LIBRARY_PATH=%s\0' "$u" "$STORE_LDSO" "$n" |
			case_env "env-paths-user[${u//$STORE/S}]-nix[${n//$STORE/S}]" "$LDSHIM"
	done
done
printf 'LD_LIBRARY_PATH=%s\0NIX_LD=%s\0NIX_LD_LIBRARY_PATH=:\0' "$STORE/lib" "$STORE_LDSO" |
	case_env "env-nix-path-colon-only" "$LDSHIM"
printf 'NIX_LD_LIBRARY_PATH=\0NIX_LD_x86_64_linux=\0NIX_LD=\0' | case_env env-all-nix-empty "$V/ldshim"

# Unusual bytes: non-UTF-8, '=' in values, names starting with '=',
# entries without '=', duplicates, an empty entry, near-miss names.
{ nix
  printf '\xff\xfe=\x80\x81\0A=b=c=\0=foo=bar\0=\0NOEQUALS\0\0DUP=1\0DUP=2\0'
  printf 'NIX_LD\0NIX_LDX=1\0LD_LIBRARY_PATHX=1\0=LD_LIBRARY_PATH=/x\0\x01\x02=\x7f\0'
} | case_env env-unusual-bytes "$LDSHIM"

# NIX_LD= empty counts as unset: the next source, as the info line says.
info_line() {
	local f=$D/info.envfile
	printf '%s\0' "$@" > "$f"
	"$SIM" --env-file "$f" -- "$T/envfile" 2>&1 | grep '^ldshim: ld.so '
}
check_eq env-nix-ld-empty-falls-to-default \
	"ldshim: ld.so /run/current-system/sw/share/nix-ld/lib/ld.so (built-in default)" \
	"$(info_line NIX_LD= NIX_LD_LOG=info)"
check_eq env-nix-ld-system-empty-falls-to-nix-ld "ldshim: ld.so $STORE_LDSO (NIX_LD)" \
	"$(info_line NIX_LD_x86_64_linux= "NIX_LD=$STORE_LDSO" NIX_LD_LOG=info)"
check_eq env-nix-ld-first-empty-then-set "ldshim: ld.so $STORE_LDSO (NIX_LD)" \
	"$(info_line NIX_LD= "NIX_LD=$STORE_LDSO" NIX_LD_LOG=info)"
