# AT_SECURE for real: a setuid-root program started through ldshim by an
# unprivileged user (nobody) with a hostile NIX_LD (a fake ld.so that
# leaves a marker) and NIX_LD_LIBRARY_PATH (a library whose constructor
# leaves a marker). Neither may run; the program must see exactly the
# environment the real ld.so gives a setuid program by itself.
#
# In secure mode ldshim injects nothing, so the program is built with a
# RUNPATH to its own library directory, and ldshim is a variant whose
# built-in default ld.so is the store copy this test sets up.
. "$(dirname "$0")/../lib.sh"
is_root || { skip secure "needs root: setuid files, the simulated NixOS"; exit 0; }
. "$ROOT/tests/security/secure-fixture.sh"
# A directory where setuid works (the test removes it again), with the
# good library directory (real ld.so, libc, libwho "good"), the hostile
# files and the program with a RUNPATH to the good directory.
secure_fixture secure shim
# Through ldshim, and a copy whose PT_INTERP is the real ld.so; and a
# program without RUNPATH (finds libwho only through the Nix library path:
# the control that the poison can load).
cp "$W/secprog" "$W/secprog-real"
patchelf --set-interpreter "$W/lib/ld-linux-x86-64.so.2" "$W/secprog-real"
cc_prog "$W/plainprog" $P/secprog.c -- -L"$W/lib" -l:libwho.so.1
cp "$W/secprog" "$W/secprog-nosuid"
chown root:root "$W/secprog" "$W/secprog-real"
chmod 4755 "$W/secprog" "$W/secprog-real"
chmod 755 "$W/secprog-nosuid" "$W/plainprog"

# ldshim with the good ld.so as its built-in default.
if ! make -s -C "$ROOT" B="$W/shim" DEFAULT_NIX_LD="$W/lib/ld-linux-x86-64.so.2" \
	DEFAULT_NIX_LD_LIBRARY_PATH="$W/no-such-dir" all >/dev/null 2>"$W/make.err"; then
	fail secure-shim-build "make of the ldshim variant failed: $(head -c 600 "$W/make.err")"
	exit 0
fi
S=$W/shim/ldshim

HOSTILE=("NIX_LD=$W/evil/ld.so" "NIX_LD_x86_64_linux=$W/evil/ld.so"
	"NIX_LD_LIBRARY_PATH=$W/evil" "NIX_LD_LIBRARY_PATH_x86_64_linux=$W/evil"
	"LD_LIBRARY_PATH=$W/evil" "LD_PRELOAD=$W/evil/libwho.so.1" "NIX_LD_LOG=trace"
	"HOME=/" "PATH=/bin" "LANG=C" "FOO=bar")
# as_nobody ENV... -- PROG ARGS: run PROG as nobody in the simulated NixOS.
as_nobody() {
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done; shift
	# Through --env-file: the simulator's own tools must not see LD_PRELOAD.
	local f; f=$(mktemp "$W/env.XXXXXX")
	[ ${#envs[@]} = 0 ] || printf '%s\0' "${envs[@]}" > "$f"
	"$SIM" --ldshim "$S" --env-file "$f" -- "$T/asuser" 65534 65534 "$@"
}
marker() { if [ -e "$M" ]; then cat "$M"; rm -f "$M"; else echo none; fi; }

# Controls: without setuid, the hostile files do run (else the test
# below would prove nothing).
out=$(as_nobody "${HOSTILE[@]}" -- "$W/secprog-nosuid" 2>&1); rc=$?
check_eq control-evil-ldso-runs "rc=66 marker=evil ld.so ran" "rc=$rc marker=$(marker)"
out=$(as_nobody "NIX_LD=$W/lib/ld-linux-x86-64.so.2" "NIX_LD_LIBRARY_PATH=$W/evil:$W/lib" \
	-- "$W/plainprog" 2>&1); rc=$?
check_eq control-poison-loads "rc=0 who: poison, secure 0, uid 65534, euid 65534
marker=poisoned libwho ran" "rc=$rc $out
marker=$(marker)"

# Setuid root, started by nobody through ldshim: secure mode.
out=$(as_nobody "${HOSTILE[@]}" -- "$W/secprog" "$W/out/shim.env" 2>&1); rc=$?
check_eq secure-hostile-nix-ld-ignored "rc=0
who: good, secure 1, uid 65534, euid 0
marker=none" "rc=$rc
$out
marker=$(marker)"

# The same program with the real ld.so as its interpreter, same user and
# environment: what ld.so's own secure mode gives.
out=$(as_nobody "${HOSTILE[@]}" -- "$W/secprog-real" "$W/out/real.env" 2>&1); rc=$?
check_eq secure-real-ldso-reference "rc=0
who: good, secure 1, uid 65534, euid 0
marker=none" "rc=$rc
$out
marker=$(marker)"
if [ -s "$W/out/real.env" ] && cmp -s "$W/out/shim.env" "$W/out/real.env"; then
	pass secure-env-as-real-ldso
else
	fail secure-env-as-real-ldso "environ differs from the real ld.so's (- real, + ldshim):"
	diff <(tr '\0' '\n' < "$W/out/real.env") <(tr '\0' '\n' < "$W/out/shim.env") | sed 's/^/    /' | head -20
fi
# ld.so removed the unsafe variables itself, and kept the others.
got=$(tr '\0' '\n' < "$W/out/shim.env" | cut -d= -f1 | sort | tr '\n' ' ')
check_eq secure-env-unsafe-dropped "FOO HOME LANG NIX_LD NIX_LD_LIBRARY_PATH NIX_LD_LIBRARY_PATH_x86_64_linux NIX_LD_LOG NIX_LD_x86_64_linux PATH " "$got"

# No environment at all, and a NIX_LD that does not exist: still the
# built-in default, still no marker.
out=$(as_nobody -- "$W/secprog" 2>&1); rc=$?
check_eq secure-empty-env "rc=0 who: good, secure 1, uid 65534, euid 0 marker=none" \
	"rc=$rc $out marker=$(marker)"
out=$(as_nobody "NIX_LD=/nonexistent" "NIX_LD_LOG=info" -- "$W/secprog" 2>&1); rc=$?
check_eq secure-missing-nix-ld-ignored "rc=0 who: good, secure 1, uid 65534, euid 0" "rc=$rc $out"
