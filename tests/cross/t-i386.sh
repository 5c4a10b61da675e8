# The cross suite (suite.sh) for i386 under qemu-user.
. "$(dirname "$0")/suite.sh"
cross_suite i386
