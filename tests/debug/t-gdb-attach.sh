# gdb attached (gdb -p) to a program started through ldshim, inside the
# simulated NixOS; and what ld.so's link_map entry, named by PT_INTERP
# (ldshim's file), costs: gdb reads ldshim's symbols for ld.so, so ld.so's
# own frames have no names until the ldshim-ldso command (ldshim-gdb.py)
# adds the real ld.so's. Compared with the same gdb run directly.
# Debian's glibc as the simulation's (SIM_GLIBC=debian): its ld.so and
# libc have the symbols (libc6-dbg) this suite names frames and checks
# with; the Nix-built glibc of ../shared/nixglibc is stripped.
SIM_GLIBC=debian
. "$(dirname "$0")/../lib.sh"
command -v gdb >/dev/null || { skip gdb-attach "gdb is not installed (apt-get install gdb)"; exit 0; }
is_root || { skip gdb-attach "needs root for the simulated NixOS"; exit 0; }
src=$ROOT/tests/debug
D=$T/debug
L=$STORE/debug/lib
cc_prog "$L/libtool.so.1" "$src/libtool.c" -- -shared -fPIC -Wl,-soname,libtool.so.1
cc_prog "$D/toolprog" "$src/toolprog.c" -- -L"$L" -l:libtool.so.1
# The dlopen debuggee of t-gdb.sh, which may not have run yet.
cc_prog "$D/plugin/libplugin.so" tests/debug/plugin.c -- -shared -fPIC
cc_prog "$D/debuggee" tests/debug/debuggee.c -- -ldl
store_init
say_start "a user's NIX_LD_LIBRARY_PATH, no XDG_RUNTIME_DIR" "${NIX_ENV[@]}"
store_add "$(command -v gdb)" /bin/bash
# NixOS's glibc keeps libthread_db next to libc; gdb looks there.
tdb=$(ldd /bin/sh | awk '$1 ~ /^libc\.so/{print $3}'); tdb=${tdb%/*}/libthread_db.so.1
[ -e "$STORE/lib/libthread_db.so.1" ] || cp -L "$tdb" "$STORE/lib/" 2>/dev/null
GDB=$(command -v gdb)
ENVV=(HOME=/root PATH=/usr/bin:/bin "NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$STORE/lib:$L")
frames() { printf '%s\n' "$1" | grep -E '^#[0-9]+ '; }

# Attach: the backtrace reaches main and _start, the libraries have symbols.
out=$(env -i "${ENVV[@]}" "$SIM" -- /bin/bash "$src/attach-driver.sh" "$D/toolprog" "$GDB" \
	-ex 'set backtrace past-main on' -ex bt -ex 'info sharedlibrary')
case $(frames "$out") in
*"read ("*" main ("*" _start ()"*) pass gdb-attach-bt-main ;;
*) fail gdb-attach-bt-main "expected read, main ... _start in the backtrace, got: $out" ;;
esac
for lib in "$L/libtool.so.1" "$STORE/lib/libc.so.6"; do
	row=$(printf '%s\n' "$out" | grep -F " $lib")
	case $row in 0x*" Yes "*) pass "gdb-attach-symbols-${lib##*/}" ;;
	*) fail "gdb-attach-symbols-${lib##*/}" "expected $lib listed with symbols read (Yes), got: ${row:-not listed}" ;; esac
done
case $out in *"Thread debugging using libthread_db enabled"*) pass gdb-attach-thread-db ;;
*) fail gdb-attach-thread-db "expected gdb to find libthread_db next to the store's libc, got: $out" ;; esac

# A stop in a library constructor, below ld.so's frames: run directly
# (the real ld.so is the interpreter) and through ldshim.
ctor_cmds=(-x "$src/ldshim-gdb.py" -ex 'set startup-with-shell off' -ex 'set breakpoint pending on'
	-ex 'break tool_lib_ctor' -ex run -ex bt -ex 'echo ==after\n' -ex ldshim-ldso -ex bt --args "$D/toolprog" calls)
names() { frames "$1" | sed -n 's/^#[0-9]* *\(0x[0-9a-f]* in \)\{0,1\}\([^ ]*\) .*/\2/p' | sed '/^??$/,$d' | tr '\n' ' '; }
direct=$(env -i "${ENVV[@]}" LD_LIBRARY_PATH="$L" "$GDB" -nx -q -batch "${ctor_cmds[@]}" 2>&1)
viasim=$(env -i "${ENVV[@]}" "$SIM" -- "$GDB" -nx -q -batch "${ctor_cmds[@]}" 2>&1)
want=$(names "${direct%%==after*}")
case $want in "tool_lib_ctor call_init"*"_dl_init _dl_start_user ") ;;
*) skip gdb-ctor-ldso-frames "the direct run does not name ld.so's frames (libc6-dbg?): $want"; want= ;; esac
before=$(names "${viasim%%==after*}")
after=$(names "${viasim#*==after}")
# The documented limit (tests/debug/README.md): without the command,
# ld.so's frames are nameless and the backtrace stops at the first.
case $viasim in *'.dynamic section for "/lib64/ld-linux-x86-64.so.2" is not at the expected address'*)
	pass gdb-ldso-entry-warning-as-documented ;;
*) fail gdb-ldso-entry-warning-as-documented "the warning README documents is gone; update tests/debug/README.md. Output: $viasim" ;; esac
if [ "$before" = "tool_lib_ctor " ]; then pass gdb-ldso-frames-nameless-as-documented
else fail gdb-ldso-frames-nameless-as-documented "README documents 'tool_lib_ctor' then ?? frames, got: $before (update tests/debug/README.md)"; fi
if [ -n "$want" ]; then
	check_eq gdb-ldshim-ldso-names-ldso-frames "$want" "$after"
fi

# ldshim-ldso after attaching, and the backtrace is unchanged by it.
out=$(env -i "${ENVV[@]}" "$SIM" -- /bin/bash "$src/attach-driver.sh" "$D/toolprog" "$GDB" \
	-x "$src/ldshim-gdb.py" -ex ldshim-ldso -ex 'info symbol _dl_catch_exception' -ex bt)
case $out in *"add symbol table from file \"$STORE_LDSO\""*"_dl_catch_exception in section .text"*"main ("*) pass gdb-attach-ldshim-ldso ;;
*) fail gdb-attach-ldshim-ldso "expected ldshim-ldso to add $STORE_LDSO's symbols (ld.so's _dl_catch_exception known), got: $out" ;; esac

# A breakpoint on an ld.so function (here dlopen's worker) never binds by
# itself (gdb looks for it in ldshim's file); after ldshim-ldso it does.
bp=(-x "$src/ldshim-gdb.py" -ex 'set startup-with-shell off' -ex 'set breakpoint pending on')
out=$(env -i "${ENVV[@]}" "$SIM" -- "$GDB" -nx -q -batch "${bp[@]}" -ex 'break dl_open_worker' -ex run "$D/debuggee" 2>&1)
case $out in *"Breakpoint 1, dl_open_worker"*) fail gdb-ldso-breakpoint-unbound-as-documented "README says it does not bind; it did (update tests/debug/README.md)" ;;
*) pass gdb-ldso-breakpoint-unbound-as-documented ;; esac
if [ -n "$want" ]; then
	out=$(env -i "${ENVV[@]}" "$SIM" -- "$GDB" -nx -q -batch "${bp[@]}" -ex 'break main' -ex run -ex ldshim-ldso \
		-ex 'break dl_open_worker' -ex continue -ex bt "$D/debuggee" 2>&1)
	case $out in *"Breakpoint 2, dl_open_worker"*"main ("*) pass gdb-ldso-breakpoint-after-ldshim-ldso ;;
	*) fail gdb-ldso-breakpoint-after-ldshim-ldso "expected a stop in dl_open_worker called from main, got: $out" ;; esac
fi
