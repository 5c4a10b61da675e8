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

# Candidates from a store are judged by the same rule (store.c calls
# unversioned_binding (unversioned.c), the candidate in the library's place):
# an unversioned libvv.so.1 is usable only where ld.so would only warn.
# Each verdict is checked against the real ld.so with the candidate's
# directory first, and so is the path suggested.
S=$D/store
E() { echo "$S/$(printf %s "$1" | md5sum | cut -c1-32 | tr e z)-$1"; }
put() { mkdir -p "$(E "$1")/lib" && cp "$D/$2/libvv.so.1" "$(E "$1")/lib/"; }
put vv-2.0 bare; put vv-1.9 bare-noexp; put vv-1.5 versym-noexp; put vv-1.2 versym; put vv-1.0 new
cands() { sed -n '/^ *candidates for /,/^ *to /p' <<<"$1" | sed '1d;/^ *to /d'; }
# agree CASE OUT: each candidate of OUT starts the program under the real
# ld.so (exit 0) if and only if it is judged usable.
agree() {
	local c=$1 prog=$2 line verdict path lrc lout bad=0
	while IFS= read -r line; do
		verdict=$(sed 's/^ *//; s/  .*//' <<<"$line"); path=${line##* }
		lout=$(LD_LIBRARY_PATH=${path%/*} "$prog" 2>&1); lrc=$?
		case $verdict:$lrc in usable*:0|no\ version*:127) ;; *)
			bad=1; fail "$c" "judged '$verdict', the real ld.so exits $lrc: $lout ($path)" ;; esac
	done <<<"$(cands "$3")"
	[ "$bad" = 0 ] && pass "$c"
}
V=$S/$(basename "$(E vv-1.0)")/lib
WARNS="usable, no version information: ld.so warns"
ABORTS="no version information: ld.so aborts binding vf"
NODEF="no version information: nothing defines vf"
for p in prog prog-now prog-weakneed prog-weakref; do
	out=$("$CHECK" --store "$S" --library-path "$SYSLIBS" "$D/$p" 2>&1)
	agree "store-ld.so-agrees-$p" "$D/$p" "$out"
	case $p in
	prog-weakref) want=$(printf '    %-47s  %s\n' usable "$(E vv-1.0)/lib/libvv.so.1" \
		"$WARNS" "$(E vv-1.9)/lib/libvv.so.1" "$WARNS" "$(E vv-1.5)/lib/libvv.so.1" \
		"$WARNS" "$(E vv-1.2)/lib/libvv.so.1" "$ABORTS" "$(E vv-2.0)/lib/libvv.so.1") ;;
	*) want=$(printf '    %-47s  %s\n' usable "$(E vv-1.0)/lib/libvv.so.1" \
		"$WARNS" "$(E vv-1.2)/lib/libvv.so.1" "$ABORTS" "$(E vv-2.0)/lib/libvv.so.1" \
		"$NODEF" "$(E vv-1.9)/lib/libvv.so.1" "$NODEF" "$(E vv-1.5)/lib/libvv.so.1") ;;
	esac
	check_eq "store-verdicts-$p" "$want" "$(cands "$out")"
	check_eq "store-fix-$p" "  to start it now: NIX_LD_LIBRARY_PATH=$V:$SYSLIBS
    checked: with that it would start" "$(sed -n '/^  to start/,$p' <<<"$out")"
	lout=$(LD_LIBRARY_PATH=$V "$D/$p" 2>&1); check_eq "store-fix-starts-$p" "0 vf=42" "$? $lout"
done
# Found first, but without versions: the versioned one goes before it.
out=$("$CHECK" --store "$S" --library-path "$D/bare:$SYSLIBS" "$D/prog" 2>&1)
check_eq store-found-unversioned "$D/prog: $UNV
  to start it now: NIX_LD_LIBRARY_PATH=$V:$D/bare:$SYSLIBS
    checked: with that it would start" "$(head -1 <<<"$out"; sed -n '/^  to start/,$p' <<<"$out")"
# A weak need (VER_FLG_WEAK) of a library found without versions still
# gets candidates: ld.so aborts all the same.
out=$("$CHECK" --store "$S" --library-path "$D/bare:$SYSLIBS" "$D/prog-weakneed" 2>&1)
check_eq store-found-unversioned-weakneed "$D/prog-weakneed: $UNV
  to start it now: NIX_LD_LIBRARY_PATH=$V:$D/bare:$SYSLIBS
    checked: with that it would start" "$(head -1 <<<"$out"; sed -n '/^  to start/,$p' <<<"$out")"
# Only unversioned candidates: the one ld.so only warns about is chosen,
# and the program runs with it; with none of those, nothing is suggested.
S1=$D/store1; mkdir -p "$S1"; cp -a "$(E vv-2.0)" "$(E vv-1.2)" "$(E vv-1.5)" "$S1/"
W=$S1/$(basename "$(E vv-1.2)")/lib
out=$("$CHECK" --store "$S1" --library-path "$SYSLIBS" "$D/prog" 2>&1)
check_eq store-only-unversioned "  to fix it for good: programs.nix-ld.libraries = with pkgs; [ vv ];
    (package names, as in the store paths: usually, but not always, also the attribute; libX11 is xorg.libX11)
  to start it now: NIX_LD_LIBRARY_PATH=$W:$SYSLIBS
    checked: with that it would start" "$(sed -n '/^  to fix/,$p' <<<"$out")"
lout=$(LD_LIBRARY_PATH=$W "$D/prog" 2>&1); lrc=$?
case $lrc:$lout in 0:*"no version information available"*vf=42*) pass store-only-unversioned-starts ;;
	*) fail store-only-unversioned-starts "expected the warning and vf=42, got $lrc: $lout" ;; esac
rm -rf "${W%/lib}"
out=$("$CHECK" --store "$S1" --library-path "$SYSLIBS" "$D/prog" 2>&1); rc=$?
check_eq store-no-usable "rc=1
    $ABORTS  $S1/$(basename "$(E vv-2.0)")/lib/libvv.so.1
    $NODEF       $S1/$(basename "$(E vv-1.5)")/lib/libvv.so.1" "rc=$rc
$(sed -n '/^  candidates/,$p' <<<"$out" | sed 1d)"
# -r: judged against every file's needs (prog's need of vf is not weak).
mkdir -p "$D/rtree"; cp "$D/prog" "$D/prog-weakref" "$D/rtree/"
out=$("$CHECK" -r --store "$S" --library-path "$SYSLIBS" "$D/rtree" 2>&1)
check_eq store-tree "$(cands "$("$CHECK" --store "$S" --library-path "$SYSLIBS" "$D/prog")" | sed 's/^  //')
to start them now: NIX_LD_LIBRARY_PATH=$V:$SYSLIBS
  checked: with that, 2 of 2 files with problems would start" \
	"$(sed -n '/^candidates for /,$p' <<<"$out" | sed '1d;/^to fix/,/^  vv:/d')"
# --json carries the verdicts.
got=$("$CHECK" --json --store "$S" --library-path "$SYSLIBS" "$D/prog" | python3 -c '
import json, sys
l = json.load(sys.stdin)["files"][0]["store"]["libraries"][0]
print(l["chosen"] == l["candidates"][0]["path"])
for c in l["candidates"]:
    print(c["version"], c["usable"], c["no_version_information"], c["ld_so_fails"], c["symbol"], c["verdict"])' 2>&1)
check_eq store-json "True
1.0 True False None None usable
1.2 True True None None $WARNS
2.0 False True assertion vf $ABORTS
1.9 False True undefined symbol vf $NODEF
1.5 False True undefined symbol vf $NODEF" "$got"
