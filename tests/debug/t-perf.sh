# perf record / perf report on a program started through ldshim, inside the
# simulated NixOS: samples land on the program's and its library's symbols,
# and ld.so's (if any is taken) on the real ld.so's file, not on ldshim's.
# perf names code by the mappings it records, not by PT_INTERP, so the
# interpreter's name does not mislead it.
# Debian's glibc as the simulation's (SIM_GLIBC=debian): its ld.so and
# libc have the symbols (libc6-dbg) this suite names frames and checks
# with; the Nix-built glibc of ../shared/nixglibc is stripped.
SIM_GLIBC=debian
. "$(dirname "$0")/../lib.sh"
command -v perf >/dev/null && perf version >/dev/null 2>&1 ||
	{ skip perf "perf is not installed or not for this kernel (apt-get install linux-perf)"; exit 0; }
is_root || { skip perf "needs root for the simulated NixOS"; exit 0; }
# Hardware counters are often absent in virtual machines; the software
# clock is enough for sampling.
if ! perf stat -e instructions true 2>&1 | grep -q '<not supported>'; then ev=cycles; else ev=cpu-clock; fi
if ! perf record -q -e $ev -o /dev/null true >/dev/null 2>&1; then
	skip perf "perf record -e $ev fails here (kernel.perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid)): $(perf record -q -e $ev -o /dev/null true 2>&1 | head -1)"
	exit 0
fi
src=$ROOT/tests/debug
D=$T/debug
L=$STORE/debug/lib
cc_prog "$L/libtool.so.1" "$src/libtool.c" -- -shared -fPIC -Wl,-soname,libtool.so.1
cc_prog "$D/toolprog" "$src/toolprog.c" -- -L"$L" -l:libtool.so.1
store_init
say_start "a user's NIX_LD_LIBRARY_PATH, no XDG_RUNTIME_DIR" "${NIX_ENV[@]}"
store_add "$(command -v perf)"
PERF=$(command -v perf)
ENVV=(HOME=/root PATH=/usr/bin:/bin "NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$STORE/lib:$L")
data=$(mktemp -d)
psim() { env -i "${ENVV[@]}" "$SIM" -- "$PERF" "$@" 2>&1; }

out=$(psim record -q -e $ev -o "$data/perf.data" "$D/toolprog" spin 30000000)
case $out in "toolprog: "*) pass perf-record-runs ;; *) fail perf-record-runs "expected toolprog's output, got: $out" ;; esac
rep=$(psim report -i "$data/perf.data" --stdio --sort dso,sym)
for want in "toolprog +\[\.\] tool_prog_spin" "libtool\.so\.1 +\[\.\] tool_lib_spin"; do
	name=perf-report-${want##* }
	row=$(printf '%s\n' "$rep" | grep -E "%  +$want\$")
	pct=$(printf '%s\n' "$row" | awk '{print int($1)}')
	if [ -n "$row" ] && [ "${pct:-0}" -ge 5 ]; then pass "$name"
	else fail "$name" "expected a row '$want' with >= 5% of the samples, got: $rep"; fi
done
# Every user-space sample has a symbol; those in an ld.so are in the real one.
script=$(psim script -i "$data/perf.data" -F ip,sym,dso | grep -v '\[kernel')
anon=$(printf '%s\n' "$script" | grep -E '\[unknown\]|^ *[0-9a-f]+ +\(' | sort | uniq -c)
if [ -z "$anon" ]; then pass perf-all-samples-named
else fail perf-all-samples-named "samples without a symbol: $anon"; fi
# A sample in ldshim's own code (named by one of the symbols it keeps:
# `ldshim` spans its C code, ldshim_start and ldshim_trampoline its
# assembly) is ldshim's time, rightly on its file.
# (By the file's name: the checkout's path may contain "ldshim".)
ldso=$(printf '%s\n' "$script" | awk '{ f = $NF; gsub(/[()]/, "", f); sub(/.*\//, "", f) } f ~ /^(ld-linux|ldshim)/' |
	grep -vE ' ldshim(_start|_trampoline)?\+?(0x[0-9a-f]+)? \(')
if [ -z "$ldso" ]; then skip perf-ldso-samples "no sample fell in ld.so this time"
elif printf '%s\n' "$ldso" | grep -vqF -e "($STORE_LDSO)" -e "($(readlink -f "$STORE_LDSO"))"; then
	fail perf-ldso-samples "expected ld.so's samples on $STORE_LDSO, got: $ldso"
else pass perf-ldso-samples; fi
rm -rf "$data"
