# Real userland (issue 7): third-party prebuilt programs in the simulated
# NixOS, each with its libraries only in its own store directory, and the
# mixed trees (NixOS <-> foreign) with a poisoned library on the injected
# path. `make check` runs these too; npm packages are fetched by t-npm.sh.
# zlib1g-dev: t-go.sh's cgo program links -lz; python3: t-tree.sh's
# foreign level runs /usr/bin/python3.
TEST_PKGS += nodejs openjdk-17-jdk-headless python3.11 libpython3.11 golang-go git openssl binutils \
	zlib1g-dev python3
.PHONY: check-e2e
check-e2e: all deps
	@tests/run $(wildcard tests/e2e/t-*.sh)
