# Benchmark smoke tests (t-bench-smoke.sh runs bench/run.sh --smoke): the
# C++ workload is built with g++. gnuplot (the plot) stays optional: the
# test reports a skip without it. t-nixos-bench-smoke.sh (bench/nixos.sh
# --smoke) patches binaries with patchelf, counts system calls with
# strace, and links a program against these Debian libraries (their
# runtime packages: it names each by its soname).
TEST_PKGS += g++ patchelf strace libcurl4 libssl3 libxml2 libsqlite3-0 libzstd1 \
	libidn2-0 libnghttp2-14 libpsl5 libssh2-1 libbrotli1 libpcre2-8-0 libexpat1 libfreetype6
