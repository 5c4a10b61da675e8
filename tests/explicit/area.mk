# Explicit invocation, packaging: man and groff render the man page in
# t-install.sh; nix-instantiate (nix-bin) parses nix/*.nix in tests/nix/t-parse.sh.
TEST_PKGS += groff-base man-db nix-bin
