# i386: Debian's gcc-i686-linux-gnu (not gcc-multilib, which conflicts
# with the other cross compilers).
CROSS_CC := i686-linux-gnu-gcc
READELF := i686-linux-gnu-readelf
OBJCOPY := i686-linux-gnu-objcopy
ARCH_CFLAGS := -mgeneral-regs-only
ARCH_LDFLAGS :=
ARCH_SYSINC :=
