# riscv64: Debian's gcc-riscv64-linux-gnu.
# - The default rv64gc/lp64d, as the sysroot's objects are built; riscv
#   has no -mgeneral-regs-only (the shim's integer code uses no float
#   registers: t-tramp.sh checks).
# - gcc 12 passes -dynamic-linker for -static-pie on riscv64: say no.
# - No linker relaxation: relaxed code may address data relative to gp
#   (__global_pointer$), which nothing sets up in the shim; and gp belongs
#   to ld.so and then to the program, never to us.
CROSS_CC := riscv64-linux-gnu-gcc
READELF := riscv64-linux-gnu-readelf
OBJCOPY := riscv64-linux-gnu-objcopy
ARCH_CFLAGS := -mno-relax -mcmodel=medany
ARCH_LDFLAGS := -Wl,--no-relax -Wl,--no-dynamic-linker -Wl,-z,text
ARCH_SYSINC :=
