# Debugging area: gdb (t-gdb.sh, t-gdb-attach.sh), valgrind, linux-perf,
# strace and ltrace, each run inside the simulated NixOS; capstone decodes
# the debug hook gdb gets (t-gdb.sh).
TEST_PKGS += gdb valgrind linux-perf strace ltrace libcapstone-dev
