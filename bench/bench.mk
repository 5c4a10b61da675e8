# make bench        start-up latency: direct real ld.so vs ldshim (and
#                   PEER=/path/to/loader if given); about 4 minutes.
# make bench-smoke  the same, a few rounds each: seconds, no numbers to trust.
# make bench-store  ldshim-check finding candidates in a generated store of
#                   50,000 entries (bench/store.sh).
.PHONY: bench bench-smoke bench-store
BENCH_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror

$(B)/bench/driver: bench/driver.c bench/bench.mk
	@mkdir -p $(dir $@)
	@echo "  CC  $<"; gcc $(BENCH_CFLAGS) -o $@ $< -lm

bench: $(B)/ldshim $(B)/bench/driver
	@PEER=$(PEER) LDSHIM=$(B)/ldshim bench/run.sh

bench-smoke: $(B)/ldshim $(B)/bench/driver
	@PEER=$(PEER) LDSHIM=$(B)/ldshim bench/run.sh --smoke

bench-store: build/ldshim-check
	@CHECK=build/ldshim-check bench/store.sh
