# The real-userland suite again in override mode (NIX_LD_MODE=override,
# nix-ld's search order), which ldshim keeps as a setting; the other
# scripts here ran in the default, fallback. Each result is prefixed
# "override-".
. "$(dirname "$0")/../lib.sh"
rc=0
for s in "$ROOT"/tests/e2e/t-*.sh; do
	case $s in */t-zz-*) continue ;; esac
	E2E_MODE=override bash "$s" 2>&1 | sed -E 's/^(PASS|FAIL|SKIP) /\1 override-/'
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
done
exit $rc
