# aarch64: Debian's gcc-aarch64-linux-gnu. No branch protection: the shim
# has no indirect call targets to mark, and ld.so enters it by the ELF
# entry, not by a BTI-checked branch.
CROSS_CC := aarch64-linux-gnu-gcc
READELF := aarch64-linux-gnu-readelf
OBJCOPY := aarch64-linux-gnu-objcopy
ARCH_CFLAGS := -mgeneral-regs-only -mbranch-protection=none
ARCH_LDFLAGS :=
ARCH_SYSINC :=
