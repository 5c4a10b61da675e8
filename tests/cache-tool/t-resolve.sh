# ldshim-cache against the real ld.so's own search: for directories with
# overlapping names (the first wins), a library of another class or
# machine before the right one (ld.so skips it), a symlink to nothing,
# a linker script that shadows nothing and versions whose digit runs
# compare as numbers, every name is resolved twice by the same real
# ld.so: with LD_LIBRARY_PATH=d1:d2:d3 and no cache, and with no
# variable and the cache (a copy of ld.so whose cache path names it, made
# by set-cache-path.py). Both must give the expected path (or fail), by
# dlopen (resolver.c) and by `ld.so --list` of a program that needs
# them. Per system: Debian's ld.so and the Nix-style one on x86_64, and
# the cross sysroots' under qemu-user, which also proves each ld.so takes
# the entry flags: a copy of the cache with another system's flags finds
# nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
NIXGLIBC_TAR=$SHARED/nixglibc/glibc-2.36-nix.tar.xz
NIXGLIBC=8m1s7yq4f0sbzdhy8lq5z0ab5xgpwcxh-glibc-2.36

# The names, and where LD_LIBRARY_PATH=d1:d2:d3 finds them.
NAMES="libcta.so.1 libcta.so libctb.so.1 libctc.so.1 libctd.so.1 libcte.so.1.2.10
libcte.so.1.2.9 libcte.so libctf.so.1 libctg.so.1 libcth.so.1 libscript.so libnone.so.1"
expected() {
	local s=$1
	cat <<EOT
libcta.so.1 => $s/d1/libcta.so.1
libcta.so => $s/d1/libcta.so
libctb.so.1 => $s/d2/libctb.so.1
libctc.so.1 => $s/d3/libctc.so.1
libctd.so.1 => $s/d2/libctd.so.1
libcte.so.1.2.10 => $s/d3/libcte.so.1.2.10
libcte.so.1.2.9 => $s/d3/libcte.so.1.2.9
libcte.so => $s/d3/libcte.so
libctf.so.1 => $s/d2/libctf.so.1
libctg.so.1 => error
libcth.so.1 => $s/d2/libcth.so.1
libscript.so => error
libnone.so.1 => error
EOT
}
NEEDED="libcta.so.1 libctb.so.1 libctc.so.1 libctd.so.1 libcte.so.1.2.9 libctf.so.1"
expected_list() {
	expected "$1" | grep -E "^(${NEEDED// /|}) =>"
}

# run LDSO LLP ARGS...: LDSO (a copy of a real ld.so) runs ARGS with
# exactly LD_LIBRARY_PATH=LLP (none if empty), under $QEMU if set.
run() {
	local ldso=$1 llp=$2; shift 2
	if [ -n "$QEMU" ]; then
		env -i "$QEMU" -L "$SYSROOT" ${llp:+-E "LD_LIBRARY_PATH=$llp"} "$ldso" "$@"
	else
		env -i ${llp:+"LD_LIBRARY_PATH=$llp"} "$ldso" "$@"
	fi
}

# scenario SYS CC LDSO [EXTRA-DIR]: the directories in $D/SYS, built
# with CC; WRONG1 and WRONG2 (commands that build a library of another
# class or machine, or empty) fill d1. EXTRA-DIR ends both the path and
# the cache (the Nix-style glibc's lib/, which its ld.so does not find
# by itself outside a store).
scenario() {
	local sys=$1 cc=$2 ldso=$3 extra=${4:-}
	local s=$D/$sys
	mkdir -p "$s"/d1 "$s"/d2 "$s"/d3
	mklib "$cc" "$s/d1/libcta.so.1"
	ln -s libcta.so.1 "$s/d1/libcta.so"
	mklib "$cc" "$s/d2/libcta.so.1"
	mklib "$cc" "$s/d2/libctb.so.1"
	mklib "$cc" "$s/d3/libctb.so.1"
	$WRONG1 "$s/d1/libctc.so.1"
	mklib "$cc" "$s/d3/libctc.so.1"
	ln -s nowhere.so "$s/d1/libctd.so.1"
	mklib "$cc" "$s/d2/libctd.so.1"
	mklib "$cc" "$s/d3/libcte.so.1.2.10"
	mklib "$cc" "$s/d3/libcte.so.1.2.9"
	ln -s libcte.so.1.2.10 "$s/d3/libcte.so"
	mklib "$cc" "$s/d2/libctf.so.1"
	mklib "$cc" "$s/d3/libctf.so.1"
	$WRONG1 "$s/d1/libctg.so.1"
	if [ -n "$WRONG2" ]; then $WRONG2 "$s/d1/libcth.so.1"; fi
	mklib "$cc" "$s/d2/libcth.so.1"
	echo 'INPUT(-lc)' > "$s/d2/libscript.so"
	local f
	for f in "$s/d1/libctc.so.1" ${WRONG2:+"$s/d1/libcth.so.1"}; do
		[ -s "$f" ] || { fail "resolve-$sys" "could not build the other-system library $f"; return; }
	done
	local dirs=("$s/d1" "$s/d2" "$s/d3" ${extra:+"$extra"})
	local llp; llp=$(IFS=:; echo "${dirs[*]}")

	local cache; cache=$(short_cache)	# Debian's ld.so has 16 bytes of room
	"$TOOL" --arch "${sys%%-*}" -o "$cache" "${dirs[@]}" 2>"$s/gen.err" ||
		{ fail "resolve-$sys" "ldshim-cache failed: $(head -3 "$s/gen.err")"; return; }
	python3 "$HERE/set-cache-path.py" "$ldso" "$s/ld-cache" "$cache" &&
	python3 "$HERE/set-cache-path.py" "$ldso" "$s/ld-nocache" /nonexistent ||
		{ fail "resolve-$sys" "cannot make the ld.so copies"; return; }
	"$cc" -O1 -o "$s/resolver" "$HERE/resolver.c" 2>"$s/cc.err" ||
		{ fail "resolve-$sys" "cannot build resolver.c: $(head -3 "$s/cc.err")"; return; }
	echo 'int main(void) { return 0; }' > "$s/prog.c"
	"$cc" -o "$s/prog" "$s/prog.c" -Wl,--no-as-needed "$s/d1/libcta.so.1" "$s/d2/libctb.so.1" \
		"$s/d3/libctc.so.1" "$s/d2/libctd.so.1" "$s/d3/libcte.so.1.2.9" "$s/d2/libctf.so.1"

	# shellcheck disable=SC2086
	local want by_path by_cache
	want=$(expected "$s")
	by_path=$(run "$s/ld-nocache" "$llp" "$s/resolver" $NAMES 2>"$s/path.err")
	by_cache=$(run "$s/ld-cache" "" "$s/resolver" $NAMES 2>"$s/cache.err")
	check_eq "resolve-$sys LD_LIBRARY_PATH" "$want" "$by_path"
	check_eq "resolve-$sys cache" "$want" "$by_cache"

	# --list: "name => path (0x...)" for the libraries it needs.
	want=$(expected_list "$s")
	local filter="s/^[[:space:]]*\([^ ]*\) => \([^ ]*\) (0x.*/\1 => \2/p"
	by_path=$(run "$s/ld-nocache" "$llp" --list "$s/prog" 2>&1 | sed -n "$filter" | grep '^libct')
	by_cache=$(run "$s/ld-cache" "" --list "$s/prog" 2>&1 | sed -n "$filter" | grep '^libct')
	check_eq "list-$sys LD_LIBRARY_PATH" "$want" "$by_path"
	check_eq "list-$sys cache" "$want" "$by_cache"

	# Control: the same cache with every entry flagged for another system
	# finds none of them, so the cases above did use the flags.
	python3 - "$cache" "$OTHER_FLAGS" <<'PY'
import struct, sys
p, other = sys.argv[1], int(sys.argv[2], 0)
b = bytearray(open(p, 'rb').read())
for i in range(struct.unpack_from('<I', b, 20)[0]):
    struct.pack_into('<i', b, 48 + 24 * i, other)
open(p, 'wb').write(b)
PY
	local found
	found=$(run "$s/ld-cache" "" "$s/resolver" $NAMES 2>/dev/null | grep -vc '=> error$')
	check_eq "flags-$sys (a cache flagged $OTHER_FLAGS finds nothing)" 0 "$found"
}

cc_or_empty() { command -v "$1" >/dev/null && echo "$1"; }
wrong_with() {	# wrong_with CC [FLAGS...]: a command building such a library
	local cc=$1; shift
	command -v "$cc" >/dev/null || return 0
	echo "mklib_wrong $cc $*"
}
mklib_wrong() { local cc=$1; shift; local flags=("$@"); local out=${flags[-1]}; unset 'flags[-1]'; mklib "$cc" "$out" "" "${flags[@]}" -nostdlib; }

# x86_64: Debian's ld.so, and the Nix-style one (glibc's lib/ last).
QEMU= SYSROOT=
WRONG1=$(wrong_with i686-linux-gnu-gcc)		# another class
WRONG2=$(wrong_with aarch64-linux-gnu-gcc)	# another machine
[ -n "$WRONG1" ] || WRONG1=$WRONG2
OTHER_FLAGS=0x0a03
if [ -z "$WRONG1" ]; then
	skip resolve-x86_64 "no cross compiler for a library of another class or machine (apt-get install gcc-i686-linux-gnu)"
else
	scenario x86_64 gcc "$REAL_LDSO"
	if [ -e "$NIXGLIBC_TAR" ]; then
		mkdir -p "$D/nix"
		tar -xJf "$NIXGLIBC_TAR" -C "$D/nix"
		scenario x86_64-nix gcc "$D/nix/$NIXGLIBC/lib/ld-linux-x86-64.so.2" "$D/nix/$NIXGLIBC/lib"
	else
		skip resolve-x86_64-nix "no $NIXGLIBC_TAR"
	fi
fi

# The cross systems under qemu-user, with their sysroots' ld.so.
for sys in i386 aarch64 riscv64; do
	case $sys in
	i386)    t=i686-linux-gnu;    QEMU=qemu-i386;    ld=ld-linux.so.2;               OTHER_FLAGS=0x0303
		 WRONG1=$(wrong_with gcc); WRONG2= ;;
	aarch64) t=aarch64-linux-gnu; QEMU=qemu-aarch64; ld=ld-linux-aarch64.so.1;       OTHER_FLAGS=0x1003
		 WRONG1=$(wrong_with gcc); WRONG2=$(wrong_with riscv64-linux-gnu-gcc) ;;
	riscv64) t=riscv64-linux-gnu; QEMU=qemu-riscv64; ld=ld-linux-riscv64-lp64d.so.1; OTHER_FLAGS=0x0a03
		 # soft-float: the same machine, but not this ld.so's float ABI
		 WRONG1=$(wrong_with riscv64-linux-gnu-gcc -march=rv64imac -mabi=lp64)
		 WRONG2=$(wrong_with gcc) ;;
	esac
	SYSROOT=/usr/$t
	if ! command -v "$t-gcc" >/dev/null; then skip "resolve-$sys" "no $t-gcc (apt-get install gcc-$t)"; continue; fi
	if ! command -v "$QEMU" >/dev/null; then skip "resolve-$sys" "no $QEMU (apt-get install qemu-user)"; continue; fi
	if [ ! -e "$SYSROOT/lib/$ld" ]; then skip "resolve-$sys" "no $SYSROOT/lib/$ld"; continue; fi
	QEMU=$(command -v "$QEMU")
	scenario "$sys" "$t-gcc" "$SYSROOT/lib/$ld"
done
