# strace -f and ltrace on a program started through ldshim, inside the
# simulated NixOS. strace: the program's own calls appear, and ldshim's own
# syscalls (between execve and the real ld.so's first, brk(NULL) as in a
# direct run) are the few tests/debug/README.md lists. ltrace: library
# calls, also into a dlopen'ed plugin (ltrace, like gdb, follows ld.so's
# r_debug breakpoint, which the patched _dl_debug_state serves).
. "$(dirname "$0")/../lib.sh"
is_root || { skip strace "needs root for the simulated NixOS"; exit 0; }
src=$ROOT/tests/debug
D=$T/debug
L=$STORE/debug/lib
cc_prog "$L/libtool.so.1" "$src/libtool.c" -- -shared -fPIC -Wl,-soname,libtool.so.1
cc_prog "$D/toolprog" "$src/toolprog.c" -- -L"$L" -l:libtool.so.1
cc_prog "$D/plugin/libplugin.so" "$src/plugin.c" -- -shared -fPIC
cc_prog "$D/debuggee" "$src/debuggee.c" -- -ldl
store_init
# The last resort (no cache home: NO_CACHE_HOME): the syscalls
# tests/debug/README.md lists are that start's.
say_start "a user's NIX_LD_LIBRARY_PATH, no cache home" --sim "${NO_CACHE_HOME[@]}" -- "${NIX_ENV[@]}"
ENVV=(HOME=/root PATH=/usr/bin:/bin "NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$STORE/lib:$L:$D/plugin")

if ! command -v strace >/dev/null; then skip strace "strace is not installed (apt-get install strace)"
else
	store_add "$(command -v strace)"
	log=$(mktemp "$D/strace.XXXXXX")   # (not in /tmp: read-only in the simulation here)
	out=$(env -i "${ENVV[@]}" "$SIM" "${NO_CACHE_HOME[@]}" -- "$(command -v strace)" -f -qq -o "$log" "$D/toolprog" calls 2>&1)
	check_eq strace-program-output "toolprog: open gave -1, lib 1" "$out"
	calls=$(sed 's/^[0-9]* *//' "$log")
	case $calls in *'openat(AT_FDCWD, "/toolprog-no-such-file", O_RDONLY) = -1 ENOENT'*) pass strace-program-syscalls ;;
	*) fail strace-program-syscalls "expected the program's openat of /toolprog-no-such-file, got: $calls" ;; esac
	# ldshim's own: from the line after execve to the line before ld.so's
	# first syscall, which a direct run shows right after execve.
	first=$(LD_LIBRARY_PATH=$L strace -qq -o /dev/stdout "$D/toolprog" calls 2>/dev/null | sed -n '2s/(.*//p')
	own=$(printf '%s\n' "$calls" | sed -n "2,/^$first(/p" | sed '$d')
	# No configuration file: one failed openat of it, first.
	conf=$(make -s -C "$ROOT" print-config-path 2>/dev/null || echo /etc/ldshim.conf)
	case $(printf '%s\n' "$own" | head -1) in "openat(AT_FDCWD, \"$conf\","*"= -1 ENOENT"*) pass strace-ldshim-config-one-open ;;
	*) fail strace-ldshim-config-one-open "expected one failed openat of $conf first, got: $(printf '%s\n' "$own" | head -1)" ;; esac
	own=$(printf '%s\n' "$own" | sed "1{/^openat(AT_FDCWD, \"${conf//\//\\/}\"/d}")
	names=$(printf '%s\n' "$own" | sed 's/(.*//' | tr '\n' ' ')
	echo "    ldshim's syscalls ($(printf '%s\n' "$own" | grep -c .), ld.so's first is $first):"
	printf '%s\n' "$own" | cut -c1-110 | sed 's/^/      /'
	# The documented list: open ld.so, check it, read its headers (and,
	# where a library cache may serve, its section headers), map its
	# whole span as the first PT_LOAD, then each further PT_LOAD over it
	# (a bss beyond the file's last page adds one anonymous mapping),
	# close. The _dl_debug_state patch is made only under a debugger
	# (strace is none); in fallback mode ld.so's read-only data is mapped
	# writable for the cache path, and made read-only again by one
	# mprotect (here no home can be had: the last resort, nothing
	# patched).
	loads=$(readelf -lW "$STORE_LDSO" | grep -c '^ *LOAD')
	maps=$(printf '%s\n' "$own" | grep -c '^mmap(')
	# With room in ld.so for a cache's name (the Nix glibc), the last
	# resort comes after the search for a cache home: for each home
	# (/run/user/<uid>, /run/ldshim, /tmp, /dev/shm; none writable here)
	# a statx, an openat and a mkdirat, before the mprotect that makes
	# ld.so's read-only data read-only again.
	if [[ $names =~ ^"openat statx pread64 "(pread64 )?(mmap )+"close "((statx|openat|mkdirat) )*"mprotect "$ ]] &&
	   [ "$maps" -ge "$loads" ] && [ "$maps" -le $((loads + 1)) ]; then
		pass strace-ldshim-syscalls-as-documented
	else fail strace-ldshim-syscalls-as-documented "expected openat statx pread64 [pread64] mmap x$loads..$((loads + 1)) close [statx|openat|mkdirat]... mprotect, got: $names"; fi
	case $(printf '%s\n' "$own" | head -1) in "openat(AT_FDCWD, \"$STORE_LDSO\""*) pass strace-ldshim-opens-nix-ld ;;
	*) fail strace-ldshim-opens-nix-ld "expected ldshim's first syscall to open $STORE_LDSO, got: $(printf '%s\n' "$own" | head -1)" ;; esac
	# -f: a child the program starts is followed (bash, started through ldshim, runs toolprog).
	store_add /bin/bash
	env -i "${ENVV[@]}" "$SIM" "${NO_CACHE_HOME[@]}" -- "$(command -v strace)" -f -qq -o "$log" /bin/bash -c "$D/toolprog calls; exit 3" >/dev/null 2>&1
	pids=$(grep -E 'execve\(".*toolprog"' "$log" | awk '{print $1}')
	if [ -n "$pids" ] && grep -q "^$pids .*toolprog-no-such-file" "$log"; then pass strace-f-follows-child
	else fail strace-f-follows-child "expected the child toolprog's execve and openat in the trace, got: $(grep -c . "$log") lines: $(grep -E 'execve|no-such' "$log")"; fi
	rm -f "$log"
fi

if ! command -v ltrace >/dev/null; then skip ltrace "ltrace is not installed (apt-get install ltrace)"
else
	store_add "$(command -v ltrace)"
	LT=$(command -v ltrace)
	out=$(env -i "${ENVV[@]}" "$SIM" -- "$LT" "$D/toolprog" calls 2>&1)
	case $out in *'open("/toolprog-no-such-file", 0, '*') '*'= -1'*'printf("toolprog: open gave %d, lib %d\n", -1, 1)'*) pass ltrace-libc-calls ;;
	*) fail ltrace-libc-calls "expected open and printf traced, got: $out" ;; esac
	out=$(env -i "${ENVV[@]}" "$SIM" -- "$LT" -e tool_lib_spin "$D/toolprog" spin 10 2>&1)
	case $out in *"toolprog->tool_lib_spin(10, "*) pass ltrace-library-call ;;
	*) fail ltrace-library-call "expected toolprog->tool_lib_spin(10, ...) traced, got: $out" ;; esac
	out=$(env -i "${ENVV[@]}" "$SIM" -- "$LT" -x plugin_answer "$D/debuggee" 2>&1)
	case $out in *"plugin_answer@libplugin.so("*") = 42"*) pass ltrace-dlopened-plugin ;;
	*) fail ltrace-dlopened-plugin "expected plugin_answer@libplugin.so(...) = 42 traced, got: $out" ;; esac
fi
