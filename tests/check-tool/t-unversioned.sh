# ldshim-check when a needed version meets a library that defines no
# versions, checked against the real ld.so on the same files: a program
# needs vf@VERS_9.9 from libvv.so.1, and the libvv.so.1 found first is
# an older build without symbol versioning. glibc 2.36's ld.so then only
# warns ("no version information available") and binds vf as it can:
#   - the library has no version table at all and defines vf: the
#     assertion in check_match (dl-lookup.c) fails, exit 127;
#   - it has a .gnu.version (it needs libc's versions) and defines vf:
#     the program runs;
#   - nothing defines vf: "undefined symbol: vf, version VERS_9.9", 127,
#     unless the reference is weak.
# Whether the need itself is marked weak changes none of this.
. "$(dirname "$0")/../lib.sh"
CHECK=$BUILD/ldshim-check
[ -x "$CHECK" ] || make -s -C "$ROOT" build/ldshim-check >/dev/null || { fail build "make build/ldshim-check failed"; exit 0; }
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT
cp "$CHECK" "$D/ldshim-check"; CHECK=$D/ldshim-check
SYSLIBS=/lib/x86_64-linux-gnu
export NIX_LD=$REAL_LDSO NIX_LD_LIBRARY_PATH=$SYSLIBS
unset LD_LIBRARY_PATH NIX_LD_MODE NIX_LD_x86_64_linux NIX_LD_LIBRARY_PATH_x86_64_linux

mkdir -p "$D"/{src,new,bare,bare-noexp,versym,versym-noexp}
cat > "$D/src/vv.c" <<'EOF'
#include <unistd.h>
int vf(void) { return 42; }
#ifdef LIBC
int uses_libc(void) { return getpid(); }	/* gives the library a .gnu.version */
#endif
EOF
sed 's/int vf(void)/int other(void)/' "$D/src/vv.c" > "$D/src/other.c"
printf 'VERS_9.9 { global: vf; local: *; };\n' > "$D/src/v.map"
cat > "$D/src/prog.c" <<'EOF'
#include <stdio.h>
int vf(void);
int main(void) { printf("vf=%d\n", vf()); return 0; }
EOF
cat > "$D/src/progweakref.c" <<'EOF'
#include <stdio.h>
extern int vf(void) __attribute__((weak));
int main(void) { printf("vf=%d\n", vf ? vf() : -1); return 0; }
EOF
so() { gcc -shared -fPIC -Wl,-soname,libvv.so.1 -o "$@"; }
so "$D/new/libvv.so.1" "$D/src/vv.c" -Wl,--version-script="$D/src/v.map"
so "$D/bare/libvv.so.1" "$D/src/vv.c" -nostdlib
so "$D/bare-noexp/libvv.so.1" "$D/src/other.c" -nostdlib
so "$D/versym/libvv.so.1" "$D/src/vv.c" -DLIBC
so "$D/versym-noexp/libvv.so.1" "$D/src/other.c" -DLIBC
gcc -o "$D/prog" "$D/src/prog.c" -L"$D/new" -l:libvv.so.1
gcc -o "$D/prog-now" "$D/src/prog.c" -L"$D/new" -l:libvv.so.1 -Wl,-z,now
gcc -o "$D/prog-weakref" "$D/src/progweakref.c" -Wl,--no-as-needed -L"$D/new" -l:libvv.so.1

# The fixtures are what they claim to be.
sections() { readelf -SW "$1" | grep -o '\.gnu\.version[_a-z]*' | sort | tr '\n' ' '; }
check_eq fixture-bare-unversioned "" "$(sections "$D/bare/libvv.so.1")"
check_eq fixture-versym-no-verdef ".gnu.version .gnu.version_r " "$(sections "$D/versym/libvv.so.1")"
check_eq fixture-needs-vers "vf@VERS_9.9" "$(readelf --dyn-syms -W "$D/prog" | awk '$8 ~ /^vf@/ {print $8}' | sed 's/ (.*//')"

# A copy of prog whose need of VERS_9.9 is marked weak (VER_FLG_WEAK):
# GNU ld never sets the flag, other linkers may.
python3 - "$D/prog" "$D/prog-weakneed" <<'EOF'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
shoff, = struct.unpack_from('<Q', b, 0x28)
shentsize, shnum = struct.unpack_from('<HH', b, 0x3a)
secs = [struct.unpack_from('<IIQQQQIIQQ', b, shoff + i * shentsize) for i in range(shnum)]
vr = next(s for s in secs if s[1] == 0x6ffffffe)            # SHT_GNU_verneed
strtab, off, n = secs[vr[6]][4], vr[4], 0
while True:
    cnt, aux, nxt = struct.unpack_from('<H', b, off + 2)[0], *struct.unpack_from('<II', b, off + 8)
    a = off + aux
    for _ in range(cnt):
        flags, name, anext = struct.unpack_from('<H', b, a + 4)[0], *struct.unpack_from('<II', b, a + 8)
        if b[strtab + name:].split(b'\0', 1)[0] == b'VERS_9.9':
            struct.pack_into('<H', b, a + 4, flags | 2); n += 1
        a += anext
    if not nxt: break
    off += nxt
assert n == 1
open(sys.argv[2], 'wb').write(b)
EOF
chmod +x "$D/prog-weakneed"
weak=$(readelf -V "$D/prog-weakneed" | grep -c 'Name: VERS_9.9  Flags: WEAK')
check_eq fixture-weak-need 1 "$weak"

UNV="libvv.so.1 has no version information: needs VERS_9.9"
# case PROG DIR RC VERDICT LDSO: ldshim-check with DIR first in the Nix
# library path (the versioned libvv.so.1 after it) gives RC and VERDICT;
# the real ld.so, given the same order, exits 0 (RC 0) or 127 (RC 1) and
# says LDSO.
case_() {
	local p=$1 dir=$2 rc=$3 verdict=$4 ldso=$5 c=$1/$2 out got first lrc lout
	out=$("$CHECK" --library-path "$D/$dir:$D/new:$SYSLIBS" "$D/$p" 2>&1); got=$?
	first=${out%%$'\n'*}
	if [ "$got" = "$rc" ] && [ "${first#*: }" = "$verdict" ]; then pass "check-$c"; else
		fail "check-$c" "expected rc=$rc '$verdict', got rc=$got: $out"; fi
	lout=$(LD_LIBRARY_PATH=$D/$dir:$D/new "$D/$p" 2>&1); lrc=$?
	case $lrc:$rc:$lout in
	0:0:*"$ldso"*|127:1:*"$ldso"*) pass "ld.so-agrees-$c" ;;
	*) fail "ld.so-agrees-$c" "ldshim-check said rc=$rc; expected the real ld.so to exit $([ "$rc" = 0 ] && echo 0 || echo 127) saying '$ldso', got $lrc: $lout" ;;
	esac
}
ASSERT="check_match: Assertion"
UNDEF="undefined symbol: vf, version VERS_9.9"
for p in prog prog-now prog-weakneed; do
	case_ "$p" new 0 ok "vf=42"
	case_ "$p" bare 1 "$UNV" "$ASSERT"
	case_ "$p" bare-noexp 1 "$UNV" "$UNDEF"
	case_ "$p" versym 0 ok "no version information available"
	case_ "$p" versym-noexp 1 "$UNV" "$UNDEF"
done
# A weak reference that nothing defines is null, not an error; one that
# the unversioned library defines still fails the assertion.
case_ prog-weakref bare 1 "$UNV" "$ASSERT"
case_ prog-weakref bare-noexp 0 ok "vf=-1"
case_ prog-weakref versym-noexp 0 ok "vf=-1"

# What the details, the JSON and the -r summary say.
want="  VERS_9.9 not found in $D/bare/libvv.so.1 (no version information: ld.so aborts binding vf), needed by prog for vf"
out=$("$CHECK" --library-path "$D/bare:$D/new:$SYSLIBS" "$D/prog")
grep -qxF -- "$want" <<<"$out" && pass details-assertion || fail details-assertion "expected a line '$want', got: $out"
want="  VERS_9.9 not found in $D/versym-noexp/libvv.so.1 (no version information, and nothing defines vf: undefined symbol), needed by prog for vf"
out=$("$CHECK" --library-path "$D/versym-noexp:$SYSLIBS" "$D/prog")
grep -qxF -- "$want" <<<"$out" && pass details-undefined || fail details-undefined "expected a line '$want', got: $out"
got=$("$CHECK" --json --library-path "$D/bare:$SYSLIBS" "$D/prog" | python3 -c '
import json, sys
m = json.load(sys.stdin)["files"][0]["missing_versions"][0]
print(m["version"], m["no_version_information"], m["ld_so_fails"], m["symbol"], m["symbols"])' 2>&1)
check_eq json-unversioned "VERS_9.9 True assertion vf ['vf']" "$got"
mkdir -p "$D/tree"; cp "$D/prog" "$D/bare/libvv.so.1" "$D/tree/"
mkdir -p "$D/emptystore"
out=$("$CHECK" -r --store "$D/emptystore" --library-path "$D/tree:$SYSLIBS" "$D/tree"); rc=$?
check_eq recursive-summary "missing versions:
  VERS_9.9 blocks 1 file
candidates for libvv.so.1, needed by 1 file (versions needed: VERS_9.9) in $D/emptystore: none (nix-locate, of nix-index, searches all of nixpkgs)
rc=1" "$(sed -n '/^missing versions:/,$p' <<<"$out")
rc=$rc"
