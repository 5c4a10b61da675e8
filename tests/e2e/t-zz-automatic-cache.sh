# The real-userland suite again with the user's XDG_RUNTIME_DIR set, so
# that ldshim's start is the automatic cache (written once per library
# path in $XDG_RUNTIME_DIR/ldshim) where the other scripts here take the
# start without it. Each result is prefixed "autocache-".
. "$(dirname "$0")/../lib.sh"
is_root || { skip autocache "needs root for the simulated NixOS"; exit 0; }
store_init
X=$T/e2e/xdg
rm -rf "$X"; mkdir -p "$X"; chmod 700 "$X"
echo "# start: $(start_kind "${NIX_ENV[@]}" "XDG_RUNTIME_DIR=$X") (a user's NIX_LD_LIBRARY_PATH and XDG_RUNTIME_DIR; $SIM_GLIBC glibc)"
rc=0
for s in "$ROOT"/tests/e2e/t-*.sh; do
	case $s in */t-zz-*) continue ;; esac
	E2E_XDG=$X bash "$s" 2>&1 | grep -v '^# start: ' | sed -E 's/^(PASS|FAIL|SKIP) /\1 autocache-/'
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
done
n=$(ls "$X/ldshim" 2>/dev/null | wc -l)
if [ "$SIM_GLIBC" = nix ]; then
	[ "$n" -gt 0 ] && pass "autocache-caches-written" || fail autocache-caches-written "expected automatic caches in $X/ldshim, found none"
	echo "# $n automatic caches written in $X/ldshim"
fi
exit $rc
