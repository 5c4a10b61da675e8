# The differential sweep of real programs (tests/sweep/sweep.sh): make
# sweep runs all of /usr/bin and /usr/sbin, make check a fixed sample
# (t-sweep-sample.sh). sweep-run is linked statically (libc6-dev's libc.a);
# unshare and mount come from util-linux, the comparison is python3.
TEST_PKGS += util-linux python3 libc6-dev
.PHONY: sweep
sweep: all deps
	@tests/sweep/sweep.sh
