# Library search through the injected path, and children that inherit the
# user's environment, not the injected one (DESIGN: transparency 2, 5, 6).
. "$(dirname "$0")/../lib.sh"
src=$ROOT/tests/libs
L=$T/libs
GREET=$STORE/greet/lib        # store directories reached only through
EXTRA=$STORE/extra/lib        # NIX_LD_LIBRARY_PATH
so() { cc_prog "$1" "$2" -- -shared -fPIC -Wl,-soname,"$(basename "$1")" "${@:3}"; }
so "$GREET/libgreet.so.1" "$src/greet.c" -DGREET_WHO='"store"'
so "$EXTRA/libextra.so.1" "$src/extra.c"
so "$L/gone/libgone.so.1" "$src/gone.c"
cc_prog "$L/libprog" "$src/libprog.c" -- -L"$GREET" -l:libgreet.so.1
cc_prog "$L/missing-shim/needs-gone" "$src/needs-gone.c" -- -L"$L/gone" -l:libgone.so.1
cc_prog "$L/spawn" "$src/spawn.c"
cc_prog "$L/envdump" "$src/envdump.c"
is_root || { skip libraries "needs root for the simulated NixOS"; exit 0; }
store_init
say_start "a user's NIX_LD_LIBRARY_PATH, no XDG_RUNTIME_DIR" "${NIX_ENV[@]}"

# nixos NEW OLD RPATH: a copy of OLD that is a NixOS program: the real
# ld.so from the store as its interpreter, its libraries by RUNPATH.
nixos() {
	mkdir -p "$(dirname "$1")"
	cp "$2" "$1.tmp"
	patchelf --set-interpreter "$STORE_LDSO" ${3:+--set-rpath "$3"} "$1.tmp"
	mv "$1.tmp" "$1"
}
# envfile FILE ENTRY...: an environment for --env-file, byte-exact.
envfile() { local f=$1; shift; printf '%s\0' "$@" > "$f"; }
# showenv FILE: an environment dump, one entry a line, for messages.
showenv() { tr '\0' '\n' < "$1"; }
# same_env CASE EXPECTED-FILE ACTUAL-FILE: byte-exact, or a diff.
same_env() {
	if [ ! -e "$3" ]; then fail "$1" "expected the child to write $3, it did not"
	elif cmp -s "$2" "$3"; then pass "$1"
	else check_eq "$1" "$(showenv "$2")" "$(showenv "$3")"; fi
}
nixpath=$STORE/lib:$GREET:$EXTRA
user_env=("${NIX_ENV[0]}" "NIX_LD_LIBRARY_PATH=$nixpath")

# A DT_NEEDED library that only the injected path reaches.
out=$(env -i "${user_env[@]}" "$SIM" --ldshim "$LDSHIM" -- "$L/libprog" 2>&1); rc=$?
check_eq needed-from-store "greet: store
rc=0" "$out
rc=$rc"

# dlopen by soname after the trampoline scrubbed LD_LIBRARY_PATH: ld.so
# keeps the path it parsed at start-up.
out=$(env -i "${user_env[@]}" "$SIM" --ldshim "$LDSHIM" -- "$L/libprog" dlopen 2>&1); rc=$?
check_eq dlopen-from-store "greet: store
dlopen: extra from the store
rc=0" "$out
rc=$rc"

# A missing library: the real ld.so's message and exit code. The same
# program with the real ld.so as interpreter, given the same path by
# LD_LIBRARY_PATH, is the reference; both run as ./needs-gone so that the
# name in the message is the same.
nixos "$L/missing-real/needs-gone" "$L/missing-shim/needs-gone"
want=$(cd "$L/missing-real" && env -i LD_LIBRARY_PATH="$nixpath" "${user_env[@]}" "$SIM" --ldshim "$LDSHIM" -- ./needs-gone 2>&1; echo "rc=$?")
got=$(cd "$L/missing-shim" && env -i "${user_env[@]}" "$SIM" --ldshim "$LDSHIM" -- ./needs-gone 2>&1; echo "rc=$?")
case $want in *"libgone.so.1: cannot open shared object file"*rc=127)
	check_eq missing-library-as-ldso "$want" "$got" ;;
*)	fail missing-library-as-ldso "expected the reference run to report libgone.so.1 missing with rc=127, got: $want" ;;
esac

# Children inherit the parent's environment, byte for byte. The child is a
# NixOS program (it does not start through ldshim, so it shows exactly
# what it was given). system() goes through /bin/sh, which rewrites the
# environment (order, PWD); its reference is the same parent started by
# the real ld.so.
nixos "$L/nixos/envdump" "$L/envdump" "$STORE/lib"
nixos "$L/nixos/spawn" "$L/spawn" "$STORE/lib"
spawn_case() {   # NAME ENTRY...: run the parent both ways, compare
	local name=$1; shift
	local d=$L/out-$name r=$L/out-$name-ref how out rc
	rm -rf "$d" "$r"; mkdir -p "$d" "$r"
	envfile "$d/given.env" "$@"
	envfile "$L/env.tmp" "$@"
	out=$("$SIM" --ldshim "$LDSHIM" --env-file "$L/env.tmp" -- "$L/spawn" "$L/nixos/envdump" "$d" 2>&1); rc=$?
	envfile "$L/env.tmp" "$@"
	"$SIM" --ldshim "$LDSHIM" --env-file "$L/env.tmp" -- "$L/nixos/spawn" "$L/nixos/envdump" "$r" >/dev/null 2>&1
	check_eq "$name-spawn-status" "posix_spawn: exit 0
system: exit 0
rc=0" "$out
rc=$rc"
	same_env "$name-parent-main" "$d/given.env" "$d/parent.env"
	for how in posix_spawn execve; do
		same_env "$name-$how" "$d/parent.env" "$d/$how.env"
	done
	same_env "$name-system-as-ldso" "$r/system.env" "$d/system.env"
	local want got
	want=$(tr '\0' '\n' < "$d/given.env" | grep '^LD_LIBRARY_PATH=')
	got=$(tr '\0' '\n' < "$d/system.env" | grep '^LD_LIBRARY_PATH=')
	if [ "$(grep -c . <<<"$want")" -gt 1 ]; then
		skip "$name-system-ld-library-path" "the shell keeps one entry per name; compared with the real ld.so's run above"
	else
		check_eq "$name-system-ld-library-path" "$want" "$got"
	fi
}
base=("PATH=/usr/bin:/bin" "HOME=/root" "SPACES=a  b" "${user_env[@]}" "LAST=1")
# The user set no LD_LIBRARY_PATH: the child must not get one, not even empty.
spawn_case env-unset "${base[@]}"
# The user's own LD_LIBRARY_PATH: the child gets the user's value, not the
# merged one ld.so saw.
spawn_case env-user-set "${base[@]:0:3}" "LD_LIBRARY_PATH=/opt/user/lib" "${base[@]:3}"
# Set but empty: it stays empty (ld.so saw only the Nix path, no ':').
spawn_case env-user-empty "${base[@]:0:3}" "LD_LIBRARY_PATH=" "${base[@]:3}"
# Set twice: ld.so reads the last one, whose slot ldshim lends; both come
# back as they were.
spawn_case env-user-twice "LD_LIBRARY_PATH=/first" "${base[@]:0:3}" "LD_LIBRARY_PATH=/opt/user/lib" "${base[@]:3}"
rm -f "$L/env.tmp"
