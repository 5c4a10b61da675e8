# Nix's rules for store names and versions, as ldshim-check reads them:
# builtins.compareVersions and builtins.parseDrvName on their documented
# examples, and which directory names are store entries.
. "$(dirname "$0")/../lib.sh"
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT
if gcc -std=gnu11 -O1 -Wall -o "$D/store-names" "$ROOT/tests/check-tool/store-names.c" \
	"$ROOT"/tools/ldshim-check/store.c 2>"$D/names-build.log"; then
	"$D/store-names" || true
else
	fail store-names-build "$(head -5 "$D/names-build.log")"
fi

