# The cross suite (suite.sh) for aarch64 under qemu-user.
. "$(dirname "$0")/suite.sh"
cross_suite aarch64
