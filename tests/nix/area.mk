# tests/nix: the NixOS module, nix/lib.nix and the flake evaluated with
# nixpkgs' lib (../shared/nixpkgs-lib) by Debian's Nix, the JSON read with jq; the
# build scripts run against ldshim-cache in a private /nix/store.
TEST_PKGS += nix-bin xz-utils jq util-linux gcc
