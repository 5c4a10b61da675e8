# make bench        start-up latency: direct real ld.so vs ldshim (and
#                   PEER=/path/to/loader if given); about 4 minutes.
# make bench-smoke  the same, a few rounds each: seconds, no numbers to trust.
.PHONY: bench bench-smoke
BENCH_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror

$(B)/bench/driver: bench/driver.c bench/bench.mk
	@mkdir -p $(dir $@)
	@echo "  CC  $<"; gcc $(BENCH_CFLAGS) -o $@ $< -lm

bench: $(B)/ldshim $(B)/bench/driver
	@PEER=$(PEER) LDSHIM=$(B)/ldshim bench/run.sh

bench-smoke: $(B)/ldshim $(B)/bench/driver
	@PEER=$(PEER) LDSHIM=$(B)/ldshim bench/run.sh --smoke
