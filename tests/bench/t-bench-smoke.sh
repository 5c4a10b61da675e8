# The start-up benchmark runs end to end on a tiny configuration: every
# workload builds and starts under each loader, the table and the JSON are
# well formed, and a program that fails is refused rather than timed.
# No timing is checked: the numbers of a smoke run mean nothing.
. "$(dirname "$0")/../lib.sh"
cd "$ROOT" || exit 1
out=$T/bench-smoke.json
DRIVER=$BUILD/bench/driver

if ! make -s "${DRIVER#"$ROOT"/}" >"$T/bench-build.log" 2>&1; then
	fail bench-driver-builds "make $DRIVER failed: $(tail -5 "$T/bench-build.log")"
	exit 0
fi
pass bench-driver-builds

rm -f "$out"
table=$(OUT=$out LDSHIM=$LDSHIM BENCH_DIR=$T/bench bench/run.sh --smoke 2>&1); rc=$?
if [ $rc = 0 ]; then pass bench-smoke-runs; else
	fail bench-smoke-runs "bench/run.sh --smoke exited $rc:"
	printf '%s\n' "$table" | tail -15 | sed 's/^/    /'
	exit 0
fi

# One row per variant and workload, each with numbers where numbers go.
missing=
for w in hello needed20 c++ env ldpath100k rss many30; do
	for v in direct ldshim-fallback ldshim-cache ldshim-override; do
		printf '%s\n' "$table" | grep -Eq "^${w//+/\\+} +$v +[0-9]+ " || missing="$missing $w/$v"
	done
done
[ -z "$missing" ] && pass bench-table-rows || fail bench-table-rows "no table row for:$missing"
row=$(printf '%s\n' "$table" | grep -E "^hello +ldshim-fallback ")
if printf '%s\n' "$row" | grep -Eq '^hello +ldshim-fallback +0 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9]+ +[0-9.]+ +\[[0-9.]+, [0-9.]+\]'; then
	pass bench-table-numbers
else
	fail bench-table-numbers "expected min/median/p90, faults, syscalls, ratio and its interval, got: $row"
fi
printf '%s\n' "$table" | grep -q 'us per 1000 vars' && pass bench-env-fit ||
	fail bench-env-fit "no 'us per 1000 vars' line in the table"

# The JSON parses and holds what the README promises.
if command -v python3 >/dev/null; then
	why=$(python3 - "$out" <<'PY' 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
names = [w["workload"] for w in d["workloads"]]
assert names == ["hello", "needed20", "c++", "env", "ldpath100k", "rss", "many30"], names
assert d["ldshim"]["file_bytes"] > 0
for w in d["workloads"][:5]:
    assert w["rounds"] > 0, w["workload"]
    for c in w["cases"]:
        assert c["median_us"] > 0 and c["min_us"] <= c["median_us"] <= c["p90_us"], c
env = d["workloads"][3]
assert {c["env_vars"] for c in env["cases"]} == {0, 100}, env["cases"]
assert [f["variant"] for f in env["fit"]][:4] == ["direct", "ldshim-fallback", "ldshim-cache", "ldshim-override"]
rss = {c["variant"]: c["probe"] for c in d["workloads"][5]["cases"]}
assert rss["ldshim-fallback"]["Rss"] > 0 and rss["direct"]["Maps"] > 0, rss
PY
)
	[ -z "$why" ] && pass bench-json || fail bench-json "$out: $why"
else
	skip bench-json "no python3 to parse the JSON"
fi
[ -s "${out%.json}-env.png" ] && pass bench-plot ||
	{ command -v gnuplot >/dev/null && fail bench-plot "no ${out%.json}-env.png" ||
	  skip bench-plot "no gnuplot"; }

# A loader that fails must stop the run, not be timed as a fast one.
[ -e "$T/bench-false.c" ] || printf 'int main(void) { return 3; }\n' > "$T/bench-false.c"
cc_prog "$T/bench-false" "$T/bench-false.c"
msg=$("$DRIVER" -w 0 -n 3 -m 3 -c 0 ok="$T/bench/hello.direct" bad="$T/bench-false" 2>&1); rc=$?
case "$rc:$msg" in
0:*) fail bench-refuses-failure "the driver timed a program that exits 3: $msg" ;;
*"failed: status"*) pass bench-refuses-failure ;;
*) fail bench-refuses-failure "expected a 'failed: status' message, got rc=$rc: $msg" ;;
esac
