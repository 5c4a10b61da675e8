# The mixed tree: a foreign parent whose injected library path holds a
# poisoned libgreet.so.1 runs a NixOS child that has its own libgreet.so.1
# by RUNPATH. The child must load its own (DESIGN: the problem, and
# transparency 5). A control run shows the poison does strike when
# LD_LIBRARY_PATH leaks, as with nix-ld.
. "$(dirname "$0")/../lib.sh"
src=$ROOT/tests/libs
L=$T/libs
GOOD=$STORE/greet-good/lib    # the child's own library, by its RUNPATH
POISONDIR=$L/poison           # on the injected path only
so() { cc_prog "$1" "$2" -- -shared -fPIC -Wl,-soname,"$(basename "$1")" "${@:3}"; }
so "$GOOD/libgreet.so.1" "$src/greet.c" -DGREET_WHO='"good"'
so "$POISONDIR/libgreet.so.1" "$src/poison.c"
cc_prog "$L/greet-child" "$src/envdump.c" -- -DWITH_GREET -L"$GOOD" -l:libgreet.so.1
cc_prog "$L/spawn" "$src/spawn.c"
is_root || { skip poison "needs root for the simulated NixOS"; exit 0; }
store_init
say_start "a user's NIX_LD_LIBRARY_PATH, no XDG_RUNTIME_DIR" "${NIX_ENV[@]}"

# The child is a NixOS program: the real ld.so in the store as interpreter.
mkdir -p "$L/nixos"
cp "$L/greet-child" "$L/nixos/greet-child.tmp"
patchelf --set-interpreter "$STORE_LDSO" --set-rpath "$STORE/lib:$GOOD" "$L/nixos/greet-child.tmp"
mv "$L/nixos/greet-child.tmp" "$L/nixos/greet-child"
child=$L/nixos/greet-child
out_dir=$L/poison-out; mkdir -p "$out_dir"
tree_env=("NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$STORE/lib:$POISONDIR" "PATH=/usr/bin:/bin")

# run_tree LDSHIM ENTRY...: with that loader at the interpreter path and
# exactly that environment, the parent runs the child by posix_spawn,
# system() and execve; prints the parent's stdout, then rc=N. stderr goes
# to $L/poison.err.
run_tree() {
	local ld=$1; shift
	printf '%s\0' "$@" > "$L/poison.env"
	"$SIM" --ldshim "$ld" --env-file "$L/poison.env" -- "$L/spawn" "$child" "$out_dir" 2>"$L/poison.err"
	echo "rc=$?"
}
# way OUTPUT N: the N-th child's line and how it ended (1 posix_spawn,
# 2 system, 3 execve).
way() { printf '%s\n' "$1" | sed -n "$((2 * $2 - 1)),$((2 * $2))p"; }
# check_tree PREFIX OUTPUT: each way loaded the child's own library.
check_tree() {
	local n=1 how
	for how in posix_spawn system execve; do
		local st="$how: exit 0"
		[ "$how" = execve ] && st="rc=0"
		check_eq "$1-$how" "child greet: good
$st" "$(way "$2" "$n")"
		n=$((n + 1))
	done
	[ -s "$L/poison.err" ] && sed 's/^/    stderr: /' "$L/poison.err"
}

# Through ldshim: the injection is gone before the parent's main, so no
# child ever sees the poisoned directory.
out=$(run_tree "$LDSHIM" "${tree_env[@]}")
check_tree nixos-child-own-lib "$out"

# Control: a wrapper puts the injected path into LD_LIBRARY_PATH, as nix-ld
# leaves it; now every child must get the poison, or this test proves
# nothing.
out=$(run_tree "$LDSHIM" "${tree_env[@]}" "LD_LIBRARY_PATH=$STORE/lib:$POISONDIR")
n=$(printf '%s\n' "$out" | grep -c '^POISON')
if [ "$n" = 3 ]; then pass control-leak-detected
else fail control-leak-detected "expected all 3 children poisoned with LD_LIBRARY_PATH leaked, got $n:"
	printf '%s\n' "$out" | sed 's/^/    /'
fi

# The peer loader nix-ld (C, 1.2.3) in ldshim's place: documented to leak
# LD_LIBRARY_PATH into children.
peer=$SHARED/peers/nix-ld-c-1.2.3-bf5aa84
if [ ! -x "$peer" ]; then skip peer-nix-ld-c-leaks "$peer not found"
else
	out=$(run_tree "$peer" "${tree_env[@]}")
	n=$(printf '%s\n' "$out" | grep -c '^POISON')
	if [ "$n" -gt 0 ]; then pass peer-nix-ld-c-leaks
	elif ! printf '%s\n' "$out" | grep -q '^posix_spawn:'; then
		skip peer-nix-ld-c-leaks "the peer did not run the parent: $(printf '%s; ' "$out" "$(head -c 300 "$L/poison.err")")"
	else fail peer-nix-ld-c-leaks "expected the peer to leak the poisoned path into children, got:" "$(printf '%s; ' "$out")"
	fi
fi
rm -f "$L/poison.err"
