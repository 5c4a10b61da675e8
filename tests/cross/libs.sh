# The library tests (tests/libs) for one architecture under qemu-user:
# DT_NEEDED and dlopen from the store, in fallback mode (the default) and
# override mode; a missing library as the real ld.so reports it; the
# environment children inherit; the poisoned mixed tree.
#
# Children: qemu-user has no binfmt_misc here, and its execve runs the
# file natively. So a child whose environment is the point is a host
# program (envdump built for x86_64), which shows byte for byte what the
# guest's execve, posix_spawn or system() passed; a child that must be a
# NixOS program of the guest's architecture (the poisoned tree) is a host
# helper (qemu-exec.c) that runs it under qemu again with the environment
# it was given.
# Called by cross_suite after cross_init/cross_build/xstore_init.

# xso OUT SRC [FLAGS]: a shared library for the arch, soname = OUT's name.
xso() { xcc "$1" "$2" -- -shared -fPIC -Wl,-soname,"$(basename "$1")" "${@:3}"; }

cross_libs() {
	local a=$XARCH src=$ROOT/tests/libs L=$XT/libs out rc mode m
	local GREET=$XSTORE/greet/lib EXTRA=$XSTORE/extra/lib
	xso "$GREET/libgreet.so.1" "$src/greet.c" -DGREET_WHO='"store"'
	xso "$EXTRA/libextra.so.1" "$src/extra.c"
	xso "$L/gone/libgone.so.1" "$src/gone.c"
	xcc "$L/libprog" "$src/libprog.c" -- -L"$GREET" -l:libgreet.so.1
	xcc "$L/missing/needs-gone" "$src/needs-gone.c" -- -L"$L/gone" -l:libgone.so.1
	xcc "$L/spawn" "$src/spawn.c"
	cc_prog "$L/envdump-host" "$src/envdump.c"
	local nixpath=$XSTORE/lib:$GREET:$EXTRA
	local user_env=("NIX_LD=$XSTORE_LDSO" "NIX_LD_LIBRARY_PATH=$nixpath")
	XROOT=$XT/root-direct; xroot_init direct
	XROOT=$XT/root; xroot_init

	# A DT_NEEDED library that only the Nix path reaches, and a dlopen by
	# soname after the trampoline scrubbed the injected variable; in both
	# search orders.
	for mode in fallback override; do
		m=; [ $mode = override ] && m=NIX_LD_MODE=override
		out=$(xrun "${user_env[@]}" $m -- "$L/libprog" 2>&1); rc=$?
		check_eq "needed-from-store-$mode-$a" "greet: store
rc=0" "$out
rc=$rc"
		out=$(xrun "${user_env[@]}" $m -- "$L/libprog" dlopen 2>&1); rc=$?
		check_eq "dlopen-from-store-$mode-$a" "greet: store
dlopen: extra from the store
rc=0" "$out
rc=$rc"
	done

	# A missing library: the real ld.so's message and exit code. The
	# reference is the same file started by the real ld.so (root-direct)
	# with the same path as LD_LIBRARY_PATH; both run as ./needs-gone.
	local want got
	want=$(cd "$L/missing" && XROOT=$XT/root-direct xrun LD_LIBRARY_PATH="$nixpath" "${user_env[@]}" -- ./needs-gone 2>&1; echo "rc=$?")
	got=$(cd "$L/missing" && xrun "${user_env[@]}" -- ./needs-gone 2>&1; echo "rc=$?")
	case $want in *"libgone.so.1: cannot open shared object file"*rc=127)
		check_eq "missing-library-as-ldso-$a" "$want" "$got" ;;
	*)	fail "missing-library-as-ldso-$a" "expected the reference run to report libgone.so.1 missing with rc=127, got: $want" ;;
	esac

	# Children inherit the parent's environment, byte for byte (the host
	# child shows exactly what each way passed). system() goes through
	# the host's /bin/sh, which rewrites the environment; its reference is
	# the same parent started by the real ld.so.
	local base=("PATH=/usr/bin:/bin" "HOME=/root" "SPACES=a  b" "${user_env[@]}" "LAST=1")
	xspawn_case env-unset "${base[@]}"
	xspawn_case env-user-set "${base[@]:0:3}" "LD_LIBRARY_PATH=/opt/user/lib" "${base[@]:3}"
	xspawn_case env-user-empty "${base[@]:0:3}" "LD_LIBRARY_PATH=" "${base[@]:3}"
	xspawn_case env-user-set-override "${base[@]:0:3}" "LD_LIBRARY_PATH=/opt/user/lib" "${base[@]:3}" NIX_LD_MODE=override
	skip "env-user-twice-$a" "qemu-user keeps one environment entry per name, so the guest cannot be given LD_LIBRARY_PATH twice; the x86_64 suite runs it"
}

# xspawn_case NAME ENTRY...: the guest parent (spawn.c) through ldshim and
# through the real ld.so, each running the host envdump three ways.
xspawn_case() {
	local name=$1-$XARCH; shift
	local d=$L/out-$name r=$L/out-$name-ref out rc how
	rm -rf "$d" "$r"; mkdir -p "$d" "$r"
	printf '%s\0' "$@" > "$d/given.env"
	out=$(xrun "$@" -- "$L/spawn" "$L/envdump-host" "$d" 2>&1); rc=$?
	XROOT=$XT/root-direct xrun "$@" -- "$L/spawn" "$L/envdump-host" "$r" >/dev/null 2>&1
	check_eq "$name-spawn-status" "posix_spawn: exit 0
system: exit 0
rc=0" "$out
rc=$rc"
	xsame_env "$name-parent-main" "$d/given.env" "$d/parent.env"
	for how in posix_spawn execve; do
		xsame_env "$name-$how" "$d/parent.env" "$d/$how.env"
	done
	xsame_env "$name-system-as-ldso" "$r/system.env" "$d/system.env"
	check_eq "$name-system-ld-library-path" "$(tr '\0' '\n' < "$d/given.env" | grep '^LD_LIBRARY_PATH=')" \
		"$(tr '\0' '\n' < "$d/system.env" | grep '^LD_LIBRARY_PATH=')"
}

# xsame_env CASE EXPECTED-FILE ACTUAL-FILE: byte-exact, or a diff.
xsame_env() {
	if [ ! -e "$3" ]; then fail "$1" "expected the child to write $3, it did not"
	elif cmp -s "$2" "$3"; then pass "$1"
	else check_eq "$1" "$(tr '\0' '\n' < "$2")" "$(tr '\0' '\n' < "$3")"; fi
}

# The mixed tree: a foreign parent whose Nix library path holds a poisoned
# libgreet.so.1 runs a NixOS child (the store's ld.so as interpreter, its
# own libgreet.so.1 by RUNPATH) by posix_spawn, system() and execve. The
# child must load its own; a control with the path leaked as
# LD_LIBRARY_PATH (what nix-ld does) shows the poison strikes.
cross_poison() {
	local a=$XARCH src=$ROOT/tests/libs L=$XT/libs out n mode m
	local GOOD=$XSTORE/greet-good/lib POISONDIR=$L/poison
	xso "$GOOD/libgreet.so.1" "$src/greet.c" -DGREET_WHO='"good"'
	xso "$POISONDIR/libgreet.so.1" "$src/poison.c"
	xcc "$L/greet-child" "$src/envdump.c" -- -DWITH_GREET -L"$GOOD" -l:libgreet.so.1
	xcc "$L/spawn" "$src/spawn.c"
	xdirect "$L/nixos-greet-child" "$L/greet-child" "$XSTORE/lib:$GOOD"
	XROOT=$XT/root; xroot_init
	xhelper "$L/greet-child-host" "$L/nixos-greet-child"
	local child=$L/greet-child-host outd=$L/poison-out
	mkdir -p "$outd"
	local tree_env=("NIX_LD=$XSTORE_LDSO" "NIX_LD_LIBRARY_PATH=$XSTORE/lib:$POISONDIR" "PATH=/usr/bin:/bin")
	for mode in fallback override; do
		m=; [ $mode = override ] && m=NIX_LD_MODE=override
		out=$(xrun "${tree_env[@]}" $m -- "$L/spawn" "$child" "$outd" 2>"$L/poison.err"; echo "rc=$?")
		check_eq "nixos-child-own-lib-$mode-$a" "child greet: good
posix_spawn: exit 0
child greet: good
system: exit 0
child greet: good
rc=0" "$out"
		[ -s "$L/poison.err" ] && sed 's/^/    stderr: /' "$L/poison.err"
	done
	out=$(xrun "${tree_env[@]}" "LD_LIBRARY_PATH=$XSTORE/lib:$POISONDIR" -- "$L/spawn" "$child" "$outd" 2>/dev/null)
	n=$(printf '%s\n' "$out" | grep -c '^POISON')
	if [ "$n" = 3 ]; then pass "control-leak-detected-$a"
	else fail "control-leak-detected-$a" "expected all 3 children poisoned with LD_LIBRARY_PATH leaked, got $n:"
		printf '%s\n' "$out" | sed 's/^/    /'
	fi
	skip "peer-nix-ld-c-leaks-$a" "the peer nix-ld binaries in ../shared/peers are x86_64 builds; the x86_64 suite runs them"
}
