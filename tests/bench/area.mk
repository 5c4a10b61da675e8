# Benchmark smoke test (t-bench-smoke.sh runs bench/run.sh --smoke): the
# C++ workload is built with g++. gnuplot (the plot) stays optional: the
# test reports a skip without it.
TEST_PKGS += g++
