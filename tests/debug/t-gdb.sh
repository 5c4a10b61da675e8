# gdb on a program started through ldshim, inside the simulated NixOS:
# breakpoints, backtraces to _start, every library (dlopen'ed ones too, and
# breakpoints pending in a plugin), as with the real ld.so as interpreter.
# Debian's glibc as the simulation's (SIM_GLIBC=debian): its ld.so and
# libc have the symbols (libc6-dbg) this suite names frames and checks
# with; the Nix-built glibc of ../shared/nixglibc is stripped.
SIM_GLIBC=debian
. "$(dirname "$0")/../lib.sh"
command -v gdb >/dev/null || { skip gdb "gdb is not installed (apt-get install gdb)"; exit 0; }
is_root || { skip gdb "needs root for the simulated NixOS"; exit 0; }
D=$T/debug
cc_prog "$D/plugin/libplugin.so" tests/debug/plugin.c -- -shared -fPIC
cc_prog "$D/debuggee" tests/debug/debuggee.c -- -ldl
store_init
say_start "a user's NIX_LD_LIBRARY_PATH, no XDG_RUNTIME_DIR" "${NIX_ENV[@]}"
store_add "$(command -v gdb)"
ENVV=(HOME=/root PATH=/usr/bin:/bin "NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$STORE/lib:$D/plugin")

gdb_sim() {
	env -i "${ENVV[@]}" "$SIM" -- "$(command -v gdb)" -nx -q -batch "$@" 2>&1
}

out=$(gdb_sim -ex 'set startup-with-shell off' -ex 'break main' -ex run -ex 'bt' \
	-ex 'set backtrace past-main on' -ex bt -ex 'next' -ex 'next' -ex 'info sharedlibrary' "$D/debuggee")
case $out in
*"Unable to find dynamic linker breakpoint"*) fail gdb-breakpoint-function "gdb found no _dl_debug_state: $out" ;;
*) pass gdb-breakpoint-function ;;
esac
case $out in *"Breakpoint 1, main ("*) pass gdb-break-main ;; *) fail gdb-break-main "no stop at main: $out" ;; esac
last=$(printf '%s\n' "$out" | grep -E '^#[0-9]+ ' | tail -1)
case $last in *" _start "*|*" _start ()"*) pass gdb-bt-ends-at-start ;; *) fail gdb-bt-ends-at-start "last frame: $last" ;; esac
libs=$(printf '%s\n' "$out" | awk '/^From/{f=1;next} f && /0x/{print $NF}')
case $libs in *"$STORE/lib/libc.so.6"*) pass gdb-lists-libc ;; *) fail gdb-lists-libc "libraries: $libs" ;; esac

# A breakpoint pending in a plugin that is dlopen'ed later.
out=$(gdb_sim -ex 'set startup-with-shell off' -ex 'set breakpoint pending on' \
	-ex 'break plugin_answer' -ex run -ex bt -ex 'info sharedlibrary' "$D/debuggee")
case $out in *"plugin_answer ()"*"main ("*) pass gdb-pending-breakpoint-in-plugin ;;
*) fail gdb-pending-breakpoint-in-plugin "expected a stop in plugin_answer called from main: $out" ;; esac
case $out in *"$D/plugin/libplugin.so"*) pass gdb-lists-dlopened ;; *) fail gdb-lists-dlopened "libplugin.so not listed: $out" ;; esac

# catch load stops when the plugin is loaded.
out=$(gdb_sim -ex 'set startup-with-shell off' -ex 'catch load libplugin' -ex run -ex bt "$D/debuggee")
case $out in *"Catchpoint 1"*"Inferior loaded"*libplugin*) pass gdb-catch-load ;;
*) fail gdb-catch-load "expected the catchpoint to report libplugin: $out" ;; esac

# A core dump of a crashing program, opened after the fact.
cores=$(mktemp -d)
out=$(cd "$cores" && env -i "${ENVV[@]}" "$SIM" -- /bin/bash -c "ulimit -c unlimited; echo '$cores/core' > /dev/null; exec $D/debuggee crash" 2>&1)
core=$(ls "$cores"/core* 2>/dev/null | head -1)
if [ -z "$core" ]; then
	skip gdb-core "no core file written (kernel.core_pattern is '$(cat /proc/sys/kernel/core_pattern)')"
else
	out=$(gdb_sim -ex bt "$D/debuggee" "$core")
	case $out in *"main ("*) pass gdb-core-backtrace ;; *) fail gdb-core-backtrace "no main in the core's backtrace: $out" ;; esac
fi
rm -rf "$cores"

# The hook itself, byte for byte: under gdb (its breakpoint in ldshim's
# _dl_debug_state), ld.so's _dl_debug_state is a jump to ldshim's and
# nothing else in its code changed. Without a debugger tests/cache checks
# that ld.so's code is left alone.
if echo "#include <capstone/capstone.h>" | ${CC:-gcc} -E -x c - >/dev/null 2>&1; then
	cc_prog "$D/ldso-diff" tests/cache/ldso-diff.c
	cc_prog "$D/ldso-diff-check" tests/cache/ldso-diff-check.c -- -lcapstone
	out=$(gdb_sim -ex 'set startup-with-shell off' -ex run "$D/ldso-diff" | "$D/ldso-diff-check" x86_64 --debug 2>&1); rc=$?
	case $rc:$out in 0:*"debug hook: jump from"*) pass gdb-ldso-debug-hook-bytes ;;
	*) fail gdb-ldso-debug-hook-bytes "expected the jump to ldshim's _dl_debug_state and no other change, got (rc $rc): $(head -8 <<<"$out")" ;; esac
else
	skip gdb-ldso-debug-hook-bytes "libcapstone-dev is not installed"
fi
