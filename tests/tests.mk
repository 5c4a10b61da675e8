# make check: every test (tests/run counts and prints the result).
.PHONY: check deps print-test-pkgs
check: all deps
	@tests/run

# Test areas add what they need with TEST_PKGS += ... in their area.mk.
TEST_PKGS += libc6-dbg gcc make libc6-dev binutils util-linux libcapstone-dev libunwind-dev patchelf
deps:
	@tests/deps $(sort $(TEST_PKGS))
print-test-pkgs:
	@echo $(sort $(TEST_PKGS))
