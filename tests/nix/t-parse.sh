# Every Nix file of the project parses (nix-instantiate --parse): the
# package, the NixOS module and its pieces, and these tests' own.
. "$(dirname "$0")/../lib.sh"
if ! command -v nix-instantiate >/dev/null; then
	skip nix-parse "nix-instantiate not installed (Debian package nix-bin)"; exit 0
fi
for f in "$ROOT"/flake.nix "$ROOT"/nix/*.nix "$ROOT"/tests/nix/*.nix; do
	n=nix-parse-${f#"$ROOT"/}
	if out=$(nix-instantiate --parse "$f" 2>&1 >/dev/null); then pass "$n"
	else fail "$n" "nix-instantiate --parse failed: $out"; fi
done
