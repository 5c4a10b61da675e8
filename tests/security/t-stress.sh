# Load: STRESS_STARTS (default 1,000) starts of a foreign program through
# ldshim, STRESS_PAR (default 50) at a time, inside one simulated NixOS,
# in the poison-library mixed tree: the foreign parent execs a NixOS child
# (PT_INTERP the real ld.so, RUNPATH to its own libwho) while a poisoned
# libwho.so.1 is first on NIX_LD_LIBRARY_PATH. Zero failures, the poison
# never loaded, no process or file left behind. `make stress` runs more.
. "$(dirname "$0")/../lib.sh"
is_root || { skip stress "needs root for the simulated NixOS"; exit 0; }
store_init
say_start "a user's NIX_LD_LIBRARY_PATH, no XDG_RUNTIME_DIR" "${NIX_ENV[@]}"
N=${STRESS_STARTS:-1000} PAR=${STRESS_PAR:-50}
P=tests/security/progs
W=$(mktemp -d "$T/stress.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir "$W/good" "$W/evil" "$W/out"
M=$W/out/marker
cc_prog "$T/stress-driver" $P/stress-driver.c -- -static
cc_prog "$W/good/libwho.so.1" $P/who.c -- -shared -fPIC -Wl,-soname,libwho.so.1 -DWHO='"good"'
cc_prog "$W/evil/libwho.so.1" $P/who.c -- -shared -fPIC -Wl,-soname,libwho.so.1 -DMARKER="\"$M\""
cc_prog "$W/parent" $P/stress-parent.c
cc_prog "$W/child" $P/stress-child.c -- -L"$W/good" -l:libwho.so.1 \
	-Wl,--dynamic-linker="$STORE_LDSO",--enable-new-dtags,-rpath,"$W/good:$STORE/lib"
# Control: a foreign child (no RUNPATH) does get the poison, and the
# driver counts that as failure.
cc_prog "$W/foreign-child" $P/stress-child.c -- -L"$W/evil" -l:libwho.so.1
printf '%s\0' "NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$W/evil:$STORE/lib" > "$W/env"
out=$("$SIM" --env-file "$W/env" -- "$T/stress-driver" 10 5 "$W/parent" "$W/foreign-child" 2>/dev/null)
check_eq stress-control-poison-detected "10 started, 10 failed" "$out"
rm -f "$M"
before=$(find "$W" | sort)

f=$W/env
printf '%s\0' "NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$W/evil:$STORE/lib" "PATH=/bin" > "$f"
out=$("$SIM" --env-file "$f" -- "$T/stress-driver" "$N" "$PAR" "$W/parent" "$W/child" 2>&1); rc=$?
check_eq stress-starts "$N started, 0 failed rc=0" "$out rc=$rc"
check_eq stress-poison-never-loaded "no marker" "$([ -e "$M" ] && echo "marker: $(head -1 "$M")" || echo no marker)"
left=$(pgrep -f "$W/" | grep -v "^$$\$" || true)
check_eq stress-no-leftover-processes "" "$left"
check_eq stress-no-leftover-files "$before" "$(find "$W" | sort)"
