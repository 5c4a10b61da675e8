# Cross architectures: i386, aarch64, riscv64 under qemu-user (tests/cross).
#   make ARCH=aarch64          build/aarch64/ldshim (also i386, riscv64)
#   make check-all             ldshim for every arch, then the whole suite:
#                              the x86_64 tests and tests/cross/t-*.sh (which
#                              `make check` runs too; they build what they
#                              need and skip, saying why, without a cross
#                              compiler or qemu-user)
#   tests/run tests/cross/t-aarch64.sh    one arch
#   tests/cross/qemu-sim aarch64 [VAR=VALUE...] -- PROG   run one program
CROSS_ARCHES := i386 aarch64 riscv64
TEST_PKGS += gcc-i686-linux-gnu gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu \
	qemu-user patchelf libcapstone-dev

.PHONY: check-all all-arches
all-arches:
	@for a in $(CROSS_ARCHES); do $(MAKE) --no-print-directory ARCH=$$a || exit 1; done

check-all: all all-arches deps
	@tests/run
