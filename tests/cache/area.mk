# tests/cache: the library cache as the shim uses it (ldshim-cache builds
# it; tests/cache-tool tests the generator on its own). capstone decodes
# the debug hook in ld.so, xz unpacks the Nix-built glibc.
TEST_PKGS += libcapstone-dev xz-utils
