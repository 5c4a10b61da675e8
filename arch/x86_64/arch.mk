# x86_64: the host compiler.
CROSS_CC := gcc
READELF := readelf
OBJCOPY := objcopy
ARCH_CFLAGS := -mgeneral-regs-only -mno-red-zone
ARCH_LDFLAGS :=
ARCH_SYSINC :=
