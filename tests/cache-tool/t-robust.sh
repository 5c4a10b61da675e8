# --print and --check on mutated caches never crash: a cache cut at every
# 7th byte and hundreds with random bytes overwritten, read by a build
# under AddressSanitizer and UBSan, exit 0 or 1 only. Then a short
# libFuzzer run of fuzz/fuzz-ldcache.c (the reader), seeded with caches
# the tool wrote, when clang has libFuzzer.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
ASAN=$D/ldshim-cache-asan
if ! make -s -C "$ROOT" build/ldshim-cache-asan >"$D/asan-build.log" 2>&1; then
	skip robust "no sanitizer build: $(grep -m2 -i 'error' "$D/asan-build.log")"
	exit 0
fi
cp "$ROOT/build/ldshim-cache-asan" "$ASAN"
export ASAN_OPTIONS=detect_leaks=0	# a one-shot tool frees nothing at exit
mkdir -p "$D"/{a,b,seeds,mut}
for n in libra.so.1 libra.so.1.2.10 librb.so.3 librc.so; do mklib gcc "$D/a/$n"; done
for n in libra.so.1 librd.so.0.9; do mklib gcc "$D/b/$n"; done
ln -s libra.so.1 "$D/a/libra.so"
"$ASAN" -o "$D/seeds/two" "$D/a" "$D/b" || { fail robust "no seed cache"; exit 0; }
mkdir -p "$D/none"
"$ASAN" --map "$D=/nix/store/x-libs" -o "$D/seeds/mapped" "$D/a" &&
"$ASAN" -o "$D/seeds/empty" "$D/none" 2>"$D/err" || { fail robust "no seed cache: $(head -3 "$D/err")"; exit 0; }
python3 - "$D/seeds" "$D/mut" <<'EOF2'
import os, random, sys
seeds, out = sys.argv[1], sys.argv[2]
rnd = random.Random(16)
n = 0
def put(b):
    global n
    open(os.path.join(out, 'm%04d' % n), 'wb').write(b)
    n += 1
for name in sorted(os.listdir(seeds)):
    b = open(os.path.join(seeds, name), 'rb').read()
    for cut in range(0, len(b), 7):              # truncated at every 7th byte
        put(b[:cut])
    for i in range(60):                         # bytes overwritten
        m = bytearray(b)
        for _ in range(rnd.randrange(1, 6)):
            at = rnd.randrange(len(m))
            w = rnd.choice([bytes([rnd.randrange(256)]), b'\xff' * 4, b'\0' * 4,
                            rnd.randrange(1 << 32).to_bytes(4, 'little'), b':', b'/'])
            m[at:at + len(w)] = w
        put(bytes(m[:len(b)]))
EOF2
bad=0 runs=0 accepted=0
for f in "$D"/mut/m*; do
	for op in --print --check; do
		"$ASAN" "$op" "$f" >/dev/null 2>"$D/err"; rc=$?
		runs=$((runs + 1))
		[ "$rc" = 0 ] && accepted=$((accepted + 1))
		if [ "$rc" -gt 1 ] || grep -q 'Sanitizer\|runtime error' "$D/err"; then
			bad=1; fail "robust $op $(basename "$f")" "rc=$rc: $(grep -m3 'ERROR\|runtime error' "$D/err")"; break 2
		fi
	done
done
[ "$bad" = 0 ] && pass "robust: $runs runs on $(ls "$D/mut" | wc -l) mutated caches, exit 0 or 1 ($accepted accepted)"

# libFuzzer, as tests/security/t-fuzz-smoke.sh runs the shim's targets.
command -v clang >/dev/null || { skip fuzz-ldcache "clang not installed (apt-get install clang)"; exit 0; }
if make -s -C "$ROOT" build/fuzz/fuzz-ldcache >"$D/fuzz-build.log" 2>&1; then
	cp "$ROOT/build/fuzz/fuzz-ldcache" "$D/fuzz-ldcache"
else
	if grep -q fuzzer "$D/fuzz-build.log"; then skip fuzz-ldcache "no libFuzzer runtime (apt-get install libclang-rt-dev)"
	else fail fuzz-ldcache "build failed: $(head -c 400 "$D/fuzz-build.log")"; fi
	exit 0
fi
mkdir -p "$D/fuzz-work"
log=$(cd "$D" && ./fuzz-ldcache -runs="${FUZZ_SMOKE_RUNS:-50000}" -max_len=4096 fuzz-work seeds 2>&1); rc=$?
if [ "$rc" = 0 ] && ! ls "$D"/crash-* >/dev/null 2>&1; then pass fuzz-ldcache; else
	fail fuzz-ldcache "rc $rc: $(grep -E 'ERROR|SUMMARY|^ldcache:' <<<"$log" | head -5)"; fi
