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
tracefs_before=$(grep -c ' tracefs ' /proc/self/mountinfo)
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
# The syscall column holds a count, or "-" when the driver could not count.
if printf '%s\n' "$row" | grep -Eq '^hello +ldshim-fallback +0 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+ +([0-9]+|-) +[0-9.]+ +\[[0-9.]+, [0-9.]+\]'; then
	pass bench-table-numbers
else
	fail bench-table-numbers "expected min/median/p90, faults, syscalls, ratio and its interval, got: $row"
fi
# Syscalls are counted wherever the machine allows it: as root the driver
# mounts tracefs for itself when nothing else has (a fresh machine). Where
# it cannot, the table says why, and so does this test.
why=$(printf '%s\n' "$table" | sed -n 's/^hello *syscalls not counted: //p')
case $(awk '{print $8}' <<<"$row"):$why in
[0-9]*:) pass bench-syscalls-counted ;;
-:?*) skip bench-syscalls-counted "$why" ;;
*) fail bench-syscalls-counted "expected a syscall count, or a 'syscalls not counted: <why>' line, got row: $row; why: ${why:-none}" ;;
esac
# Counting them leaves the machine's mounts as they were: the driver's
# tracefs lives in a mount namespace of its own.
tracefs_after=$(grep -c ' tracefs ' /proc/self/mountinfo)
[ "$tracefs_after" = "$tracefs_before" ] && pass bench-leaves-mounts ||
	fail bench-leaves-mounts "expected $tracefs_before tracefs mounts after the run, got $tracefs_after: $(grep ' tracefs ' /proc/self/mountinfo)"
# A user who cannot count them (not root, tracefs not readable) is told
# why, not shown a silent "-".
if is_root; then
	# copies in a directory uid 65534 can reach (the checkout may not be)
	u=$(mktemp -d); chmod 755 "$u"; cp "$DRIVER" "$T/bench/hello.direct" "$u/"
	o=$(setpriv --reuid=65534 --regid=65534 --clear-groups -- \
		"$u/driver" -w 0 -m 2 -n 2 -c 1 -L nobody hello="$u/hello.direct" 2>&1); rc=$?
	rm -rf "$u"
	r=$(printf '%s\n' "$o" | grep -E '^nobody +hello ' | awk '{print $8}')
	case $rc:$r:$o in
	0:[0-9]*:*) pass bench-syscalls-why-unprivileged ;;
	0:-:*"syscalls not counted: "?*) pass bench-syscalls-why-unprivileged ;;
	*) fail bench-syscalls-why-unprivileged "expected a count or 'syscalls not counted: <why>' as uid 65534, got rc=$rc: $o" ;;
	esac
else
	skip bench-syscalls-why-unprivileged "needs root to run the driver as another user"
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
for w in d["workloads"]:
    assert "syscalls_not_counted" in w, w["workload"]
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
	  skip bench-plot "no gnuplot: the plot is optional (apt-get install gnuplot-nox)"; }

# A loader that fails must stop the run, not be timed as a fast one.
[ -e "$T/bench-false.c" ] || printf 'int main(void) { return 3; }\n' > "$T/bench-false.c"
cc_prog "$T/bench-false" "$T/bench-false.c"
msg=$("$DRIVER" -w 0 -n 3 -m 3 -c 0 ok="$T/bench/hello.direct" bad="$T/bench-false" 2>&1); rc=$?
case "$rc:$msg" in
0:*) fail bench-refuses-failure "the driver timed a program that exits 3: $msg" ;;
*"failed: status"*) pass bench-refuses-failure ;;
*) fail bench-refuses-failure "expected a 'failed: status' message, got rc=$rc: $msg" ;;
esac
