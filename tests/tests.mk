# make check: every test (tests/run counts and prints the result).
.PHONY: check deps print-test-pkgs
check: all deps
	@tests/run

# Test areas add what they need with TEST_PKGS += ... in their area.mk.
# python3: scripts of several areas parse JSON and patch test binaries with it.
TEST_PKGS += libc6-dbg gcc make libc6-dev binutils util-linux libcapstone-dev libunwind-dev patchelf \
	python3
deps:
	@tests/deps $(sort $(TEST_PKGS))
print-test-pkgs:
	@echo $(sort $(TEST_PKGS))
