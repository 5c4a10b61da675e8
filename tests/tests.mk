# make check: every test, x86_64 (tests/run counts and prints the result).
.PHONY: check deps
check: all deps
	@tests/run

# Say exactly what is missing rather than fail obscurely later.
TEST_PKGS := gcc make libcapstone-dev libunwind-dev patchelf util-linux
deps:
	@tests/deps $(TEST_PKGS)
