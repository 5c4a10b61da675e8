# Security area: fuzzing and load (the short versions run in `make check`
# through tests/security/t-*.sh).
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_RUNS=]   libFuzzer on elf_check, env_scan +
#                     env_library_path, image_parse + image_copy, config_parse,
#                     the shim's library cache checks and ld.so string search
#                     (cache), the program's DT_RUNPATH (runpath),
#                     ldshim-cache's reader (ldcache) (clang, ASan +
#                     UBSan); FUZZ_SECONDS is split between the targets,
#                     or each runs FUZZ_RUNS executions. Seeds in
#                     fuzz/corpus/<target>; new inputs in build/fuzz/work-<target>;
#                     a crash leaves build/fuzz/crash-* and fails.
#   make stress [STRESS_STARTS=20000] [STRESS_PAR=50]   t-stress.sh, longer.
# clang and its libFuzzer runtime (libclang-rt-dev): t-fuzz-smoke.sh;
# procps: t-stress.sh looks for stray processes with pgrep.
TEST_PKGS += clang libclang-rt-dev procps
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?=
FUZZ_CC ?= clang
FUZZ_TARGETS := elf env stack config cache runpath
# Targets of the hosted tools, built from their own sources.
FUZZ_TOOL_TARGETS := ldcache
# The reader and the shim's cache code it uses (LDCACHE_GEN, in the
# Makefile); shim/str.c apart, its memcpy and memset renamed.
FUZZ_TOOL_SRC_ldcache := tools/ldshim-cache/view.c $(patsubst %,shim/%.c,$(LDCACHE_GEN))
FUZZ_TOOL_INC_ldcache := -Ishim -Iarch/$(HOST_ARCH) -Itrampoline -Itools/ldshim-cache
FUZZ_FLAGS := -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
STRESS_STARTS ?= 20000
STRESS_PAR ?= 50

.PHONY: fuzz fuzz-build stress
fuzz-build: $(patsubst %,build/fuzz/fuzz-%,$(FUZZ_TOOL_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
	  tests/security/build-hosted build/fuzz/fuzz-$$t fuzz/fuzz-$$t.c $(FUZZ_CC) $(FUZZ_FLAGS) || exit 1; done

build/fuzz/fuzz-ldcache: fuzz/fuzz-ldcache.c $(FUZZ_TOOL_SRC_ldcache) shim/str.c $(wildcard shim/*.h) \
		tests/security/area.mk
	@mkdir -p build/fuzz
	@echo "  CC  $@"; $(FUZZ_CC) $(FUZZ_FLAGS) -g $(FUZZ_TOOL_INC_ldcache) -Dmemcpy=ldshim_memcpy \
		-Dmemset=ldshim_memset -c shim/str.c -o $@-str.o && \
	$(FUZZ_CC) $(FUZZ_FLAGS) -g $(FUZZ_TOOL_INC_ldcache) $< $(FUZZ_TOOL_SRC_ldcache) $@-str.o -o $@

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS) $(FUZZ_TOOL_TARGETS); do \
	  mkdir -p build/fuzz/work-$$t; \
	  echo "== fuzz-$$t"; \
	  ( cd build/fuzz && ./fuzz-$$t -print_final_stats=1 -max_len=4096 \
	    $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-max_total_time=$$$(( $(FUZZ_SECONDS) / $(words $(FUZZ_TARGETS) $(FUZZ_TOOL_TARGETS)) + 1 ))) \
	    work-$$t ../../fuzz/corpus/$$t 2>&1 | \
	    grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' ) ; \
	  if ls build/fuzz/crash-* build/fuzz/leak-* build/fuzz/timeout-* 2>/dev/null; then \
	    echo "fuzz-$$t: crash found (input saved above)"; exit 1; fi; \
	done

stress: all
	@STRESS_STARTS=$(STRESS_STARTS) STRESS_PAR=$(STRESS_PAR) tests/run tests/security/t-stress.sh
