# make bench        start-up latency: direct real ld.so vs ldshim (and
#                   PEER=/path/to/loader if given); then the simulated-NixOS
#                   bench (bench/nixos.sh: patched vs ldshim vs nix-ld, as
#                   root); about 10 minutes.
# make bench-nixos  the simulated-NixOS bench alone; bench-check the same,
#                   exiting 1 when its targets do not hold.
# make bench-smoke  the same, a few rounds each: seconds, no numbers to trust.
# make bench-store  ldshim-check finding candidates in a generated store of
#                   50,000 entries (bench/store.sh).
.PHONY: bench bench-smoke bench-store bench-nixos bench-check
BENCH_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror

$(B)/bench/driver: bench/driver.c bench/bench.mk
	@mkdir -p $(dir $@)
	@echo "  CC  $<"; gcc $(BENCH_CFLAGS) -o $@ $< -lm

# Static: it runs where the machine's libraries are hidden (nixos-sim).
$(B)/bench/driver-static: bench/driver.c bench/bench.mk
	@mkdir -p $(dir $@)
	@echo "  CC  $< (static)"; gcc $(BENCH_CFLAGS) -static -o $@ $< -lm

BENCH_NIXOS_DEPS := $(B)/ldshim $(B)/ldshim-cache $(B)/bench/driver-static

bench: $(B)/ldshim $(B)/bench/driver $(BENCH_NIXOS_DEPS)
	@PEER=$(PEER) LDSHIM=$(B)/ldshim bench/run.sh
	@LDSHIM=$(B)/ldshim bench/nixos.sh

bench-nixos: $(BENCH_NIXOS_DEPS)
	@LDSHIM=$(B)/ldshim bench/nixos.sh

bench-check: $(BENCH_NIXOS_DEPS)
	@LDSHIM=$(B)/ldshim bench/nixos.sh --check

bench-smoke: $(B)/ldshim $(B)/bench/driver $(BENCH_NIXOS_DEPS)
	@PEER=$(PEER) LDSHIM=$(B)/ldshim bench/run.sh --smoke
	@LDSHIM=$(B)/ldshim bench/nixos.sh --smoke

bench-store: build/ldshim-check
	@CHECK=build/ldshim-check bench/store.sh
