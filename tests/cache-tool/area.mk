# ldshim-cache (tools/ldshim-cache): compared with glibc's ldconfig and
# with the real ld.so's LD_LIBRARY_PATH search, on every architecture
# (qemu-user for the cross ones), bad input, broken caches.
#   make check-cache-tool            these tests only
#   tests/run tests/cache-tool/t-resolve.sh    one of them
TEST_PKGS += libc-bin python3 xz-utils util-linux qemu-user \
	gcc-i686-linux-gnu gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu
.PHONY: check-cache-tool
check-cache-tool: build/ldshim-cache
	@tests/run $(wildcard tests/cache-tool/t-*.sh)
