# tests/nix: the NixOS module and nix/lib.nix evaluated with nixpkgs' lib
# (../shared/nixpkgs-lib) by Debian's Nix, the JSON read with jq; the
# build scripts run against ldshim-cache in a private /nix/store.
TEST_PKGS += nix-bin xz-utils jq util-linux gcc
