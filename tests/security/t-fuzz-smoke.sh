# A short libFuzzer run of each fuzz target (fuzz/fuzz-*.c) over its seed
# corpus: FUZZ_SMOKE_RUNS (default 20,000) executions each. The long run is
# `make fuzz` (tests/security/area.mk).
. "$(dirname "$0")/../lib.sh"
command -v clang >/dev/null || { skip fuzz-smoke "clang not installed (apt-get install clang)"; exit 0; }
runs=${FUZZ_SMOKE_RUNS:-20000}
W=$(mktemp -d "$T/fuzz-smoke.XXXXXX")
trap 'rm -rf "$W"' EXIT
for t in elf env stack config cache runpath; do
	bin=$BUILD/fuzz/fuzz-$t
	if ! tests/security/build-hosted "$bin" "fuzz/fuzz-$t.c" clang -O1 \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all 2>"$W/build.err"; then
		if grep -q 'fuzzer' "$W/build.err"; then
			skip "fuzz-smoke-$t" "no libFuzzer runtime (apt-get install libclang-rt-dev)"
		else
			fail "fuzz-smoke-$t" "build failed: $(head -c 400 "$W/build.err")"
		fi
		continue
	fi
	mkdir "$W/$t"
	log=$(cd "$W" && "$bin" -runs="$runs" -max_len=4096 "$t" "$ROOT/fuzz/corpus/$t" 2>&1); rc=$?
	if [ "$rc" = 0 ] && ! ls "$W"/crash-* >/dev/null 2>&1; then
		pass "fuzz-smoke-$t"
	else
		fail "fuzz-smoke-$t" "rc $rc: $(grep -E 'ERROR|SUMMARY|abort|^(elf_check|env|stack|config):' <<<"$log" | head -5)"
	fi
done
