# The cross suite (suite.sh) for riscv64 under qemu-user.
. "$(dirname "$0")/suite.sh"
cross_suite riscv64
