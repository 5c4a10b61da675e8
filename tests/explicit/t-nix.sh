# nix/package.nix and nix/module.nix are valid Nix (parsed only: nixpkgs
# is not available to evaluate them).
. "$(dirname "$0")/../lib.sh"
if ! command -v nix-instantiate >/dev/null; then
	skip nix-parse "nix-instantiate not installed (Debian package nix-bin)"; exit 0
fi
for f in package module; do
	if out=$(nix-instantiate --parse "$ROOT/nix/$f.nix" 2>&1 >/dev/null); then pass "nix-parse-$f"
	else fail "nix-parse-$f" "nix-instantiate --parse failed: $out"; fi
done
