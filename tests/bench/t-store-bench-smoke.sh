# bench/store.sh runs end to end on a small generated store: the store is
# made, ldshim-check names the packages, every case gets numbers. No time
# is checked (bench/README.md has the measured figures).
. "$(dirname "$0")/../lib.sh"
cd "$ROOT" || exit 1
out=$(BENCH_DIR=$T/bench-store RUNS=2 CHECK=$BUILD/ldshim-check bench/store.sh 300 2>&1); rc=$?
if [ $rc != 0 ]; then
	fail store-bench-runs "bench/store.sh 300 exited $rc:"; printf '%s\n' "$out" | tail -15 | sed 's/^/    /'
	exit 0
fi
pass store-bench-runs
grep -q "store: .*: 300 entries" <<<"$out" && pass store-bench-store-size ||
	fail store-bench-store-size "expected a store of 300 entries, got: $(grep '^store:' <<<"$out")"
grep -qF "to fix it for good: programs.nix-ld.libraries = with pkgs; [ bar baz libfoo ];" <<<"$out" &&
	pass store-bench-finds-packages || fail store-bench-finds-packages "no suggested line in: $(head -8 <<<"$out")"
missing=
for c in "one program, empty store" "one program, 3 libraries missing" "the same, --json" "-r, 20 programs"; do
	grep -qE "^${c//+/\\+}.* [0-9]+\.[0-9] +[0-9]+\.[0-9]$" <<<"$out" || missing="$missing [$c]"
done
[ -z "$missing" ] && pass store-bench-rows || fail store-bench-rows "no numbers for:$missing"
grep -qE '^  dirs: +[0-9]+ library directories' <<<"$out" && pass store-bench-probe ||
	fail store-bench-probe "no probe.c lines in: $(tail -6 <<<"$out")"
