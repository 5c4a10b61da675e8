# The simulated-NixOS bench (bench/nixos.sh --smoke) runs end to end:
# every workload starts in every variant (patched, floor, ldshim, nix-ld)
# inside the simulated NixOS and prints the same as the patched binary;
# the syscall table and the target lines are there; the floor's own part
# is what it is built to be. No timing is checked.
. "$(dirname "$0")/../lib.sh"
cd "$ROOT" || exit 1
is_root || { skip nixos-bench "needs root (a private mount namespace)"; exit 0; }
if ! make -s build/bench/driver-static build/ldshim-cache >"$T/nixos-bench-build.log" 2>&1; then
	fail nixos-bench-builds "make of the static driver failed: $(tail -5 "$T/nixos-bench-build.log")"
	exit 0
fi
out=$T/nixos-smoke.json
table=$(OUT=$out LDSHIM=$LDSHIM BENCH_DIR=$T/bench bench/nixos.sh --smoke 2>&1); rc=$?
why=$(printf '%s\n' "$table" | sed -n 's/^bench-nixos: skipped: //p')
[ -n "$why" ] && { skip nixos-bench "$why"; exit 0; }
if [ $rc = 0 ]; then pass nixos-bench-runs; else
	fail nixos-bench-runs "bench/nixos.sh --smoke exited $rc:"
	printf '%s\n' "$table" | tail -15 | sed 's/^/    /'
	exit 0
fi

missing=
for w in hello libs15 devshell30; do
	for v in patched floor ldshim nix-ld; do
		printf '%s\n' "$table" | grep -Eq "^$w +$v +0 +[0-9.]+ +[0-9.]+ " || missing="$missing $w/$v(time)"
		printf '%s\n' "$table" | grep -Eq "^$w +$v +[0-9]+ +[0-9]+ " || missing="$missing $w/$v(syscalls)"
	done
	printf '%s\n' "$table" | grep -Eq "^$w +paired ldshim vs nix-ld " || missing="$missing $w/paired"
done
[ -z "$missing" ] && pass nixos-bench-rows || fail nixos-bench-rows "no table row for:$missing"

# Own part: none for the patched binary (ld.so is its interpreter); the
# floor opens ld.so, reads its headers, maps each PT_LOAD, closes it.
own() { printf '%s\n' "$table" | awk -v w="$1" -v v="$2" '$1 == w && $2 == v && NF >= 5 && $3 ~ /^[0-9]+$/ && $4 ~ /^[0-9]+$/ { $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print; exit }'; }
check_eq nixos-bench-patched-own-part "-" "$(own hello patched)"
case $(own hello floor) in "openat pread64 mmapx"[3-6]" close") pass nixos-bench-floor-own-part ;;
*) fail nixos-bench-floor-own-part "expected openat pread64 mmap xN close, got: $(own hello floor)" ;; esac
# ldshim leaves ld.so's code alone without a debugger: one mprotect, the
# cache path string's.
case $(own hello ldshim) in *"close mprotect") pass nixos-bench-ldshim-one-mprotect ;;
*) fail nixos-bench-ldshim-one-mprotect "expected ldshim's own part to end with one mprotect, got: $(own hello ldshim)" ;; esac
n=$(printf '%s\n' "$table" | grep -c '^target ')
check_eq nixos-bench-target-lines 7 "$n"
if command -v python3 >/dev/null; then
	why=$(python3 - "$out" <<'PY' 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
assert [w["workload"] for w in d["workloads"]] == ["hello", "libs15", "devshell30"]
assert d["syscalls"]["hello/patched"]["own"] == 0, d["syscalls"]
for w in d["workloads"]:
    assert [v["name"] for v in w["variants"]] == ["patched", "floor", "ldshim", "nix-ld"]
PY
)
	[ -z "$why" ] && pass nixos-bench-json || fail nixos-bench-json "$out: $why"
else
	skip nixos-bench-json "no python3 to parse the JSON"
fi
