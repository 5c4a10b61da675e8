# Unwinding a program started through ldshim: from main and from a library
# constructor, libunwind and glibc's backtrace() must see the same frames as
# when the real ld.so is the interpreter, stop cleanly at _start, and never
# find a frame in ldshim (DESIGN: transparency 4, the trampoline leaves no
# frame and clears the frame pointer).
# Debian's glibc as the simulation's (SIM_GLIBC=debian): its ld.so and
# libc have the symbols (libc6-dbg) this suite names frames and checks
# with; the Nix-built glibc of ../shared/nixglibc is stripped.
SIM_GLIBC=debian
. "$(dirname "$0")/../lib.sh"
src=$ROOT/tests/unwind
D=$T/unwind
W=$STORE/unwind/lib
if ! echo "#include <libunwind.h>" | ${CC:-gcc} -E -x c - >/dev/null 2>&1; then
	skip unwind "libunwind-dev is not installed (apt-get install libunwind-dev)"
	exit 0
fi
cc_prog "$W/libunwctor.so.1" "$src/unwctor.c" "$src/walk.h" -- -shared -fPIC -Wl,-soname,libunwctor.so.1 -lunwind
# -rdynamic: main and _start get names for backtrace()'s dladdr. The
# constructor's library is used for nothing but its constructor.
cc_prog "$D/unwind-probe" "$src/unwind-probe.c" "$src/walk.h" -- -rdynamic -lunwind -Wl,--no-as-needed -L"$W" -l:libunwctor.so.1
is_root || { skip unwind-sim "needs root for the simulated NixOS"; exit 0; }
store_init
say_start "a user's NIX_LD_LIBRARY_PATH, no XDG_RUNTIME_DIR" "${NIX_ENV[@]}"
store_add "$D/unwind-probe"
# backtrace() dlopens libgcc_s.so.1 for its unwinder.
gcc_s=$(${CC:-gcc} -print-file-name=libgcc_s.so.1)
[ -e "$STORE/lib/libgcc_s.so.1" ] || cp -L "$gcc_s" "$STORE/lib/"

# resolve: read the probe's output; print each frame as
#   NAME [FILE-BASENAME] (PROBE-NAME)
# NAME: the function containing the address, by the file's debug symbols
# (found by build-id under /usr/lib/debug, as libc6-dbg installs them),
# else the file's own; the outermost of an inline chain. The store's files
# are copies of the host's, so both runs resolve alike.
debugfile() {
	local id
	id=$(readelf -n "$1" 2>/dev/null | awk '/Build ID/{print $3; exit}')
	if [ -n "$id" ] && [ -e "/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug" ]; then
		echo "/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug"
	else echo "$1"; fi
}
resolve() {
	local tag name path addr fn
	while read -r tag name path addr; do
		if [ "$tag" != frame ]; then echo "$tag${name:+ $name}${path:+ $path}${addr:+ $addr}"; continue; fi
		fn='??'
		[ -e "$path" ] && fn=$(addr2line -f -i -e "$(debugfile "$path")" "$addr" 2>/dev/null | sed -n 'p;n' | tail -1)
		echo "${fn:-??} [${path##*/}] ($name)"
	done
}
section() { printf '%s\n' "$1" | sed -n "/^== $2\$/,/^end /p" | sed '1d'; }
names() { printf '%s\n' "$1" | sed -n 's/ \[.*//p' | tr '\n' ' ' | sed 's/ $//'; }

direct=$(LD_LIBRARY_PATH=$W "$D/unwind-probe" 2>&1)
raw=$(env -i NIX_LD="$STORE_LDSO" NIX_LD_LIBRARY_PATH="$STORE/lib:$W" "$SIM" --ldshim "$LDSHIM" -- "$D/unwind-probe" 2>&1)
viasim=$(printf '%s\n' "$raw" | resolve)
direct=$(printf '%s\n' "$direct" | resolve)

case $viasim in *"== interpreter path mapped: yes"*) pass ldshim-is-mapped ;;
*) fail ldshim-is-mapped "expected the program in the simulation to have ldshim mapped at the interpreter path, got: $viasim" ;; esac
if grep -q '^IN-LDSHIM' <<<"$viasim"; then
	fail no-frame-in-ldshim "expected no frame's IP in ldshim's mapping, got: $(grep '^IN-LDSHIM' <<<"$viasim" | tr '\n' ';')"
else pass no-frame-in-ldshim; fi

main=$(section "$viasim" main)
check_eq main-unw-step-ends-0 "end 0" "$(tail -1 <<<"$main")"
last=$(sed -n '$!p' <<<"$main" | tail -1)
case $last in *"(_start)") pass main-last-frame-_start ;;
*) fail main-last-frame-_start "expected libunwind to name the last frame _start, got: $last" ;; esac
has_debug() { [ "$(debugfile "$1")" != "$1" ]; }
if has_debug "$STORE/lib/libc.so.6"; then
	case "$(names "$main")" in
	"main __libc_start_call_main __libc_start_main"*" _start") pass main-frames ;;
	*) fail main-frames "expected main __libc_start_call_main __libc_start_main* _start, got: $(names "$main")" ;;
	esac
else
	skip main-frames "no debug symbols for libc.so.6 (libc6-dbg): its local functions have no names; the lists are still compared with the direct run"
fi
ctor=$(section "$viasim" constructor)
if has_debug "$STORE_LDSO"; then
	case "$(names "$ctor")" in
	"unwctor "*"_dl_init _dl_start_user") pass ctor-frames ;;
	*) fail ctor-frames "expected unwctor ... _dl_init _dl_start_user, got: $(names "$ctor")" ;; esac
else
	skip ctor-frames "no debug symbols for ld.so (libc6-dbg): its local functions have no names; the lists are still compared with the direct run"
fi
check_eq ctor-unw-step-ends-0 "end 0" "$(tail -1 <<<"$ctor")"
ldso_paths=$(printf '%s\n' "$raw" | sed -n '/^== constructor$/,/^end /s/^frame [^ ]* \([^ ]*ld-linux[^ ]*\) .*/\1/p' | sort -u)
check_eq ctor-ldso-frames-from-store "$STORE_LDSO" "$ldso_paths"

# The same frames as with the real ld.so as interpreter: functions and
# files (by debug symbols), and the names the unwinder itself gives (it
# reads the symbols of the file /proc/self/maps names for the IP, so it
# also sees how the real ld.so is mapped).
resolved() { section "$1" "$2" | sed 's/ ([^()]*)$//'; }
own() { section "$1" "$2" | sed -n 's/.* (\([^()]*\))$/\1/p'; }
check_eq ldso-mapped-as-kernel "$(section "$direct" maps)" "$(section "$viasim" maps)"
for s in main backtrace constructor; do
	check_eq "$s-as-direct" "$(resolved "$direct" "$s")" "$(resolved "$viasim" "$s")"
	check_eq "$s-own-names-as-direct" "$(own "$direct" "$s")" "$(own "$viasim" "$s")"
done
