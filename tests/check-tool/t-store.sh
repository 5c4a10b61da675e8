# ldshim-check says where to get what is missing: candidates from a fake
# store (several versions of a library, one too old for a needed version,
# one of another architecture, broken, unreadable and dangling files, names
# that are no store names), their verdicts and ranking, the line for
# configuration.nix, the directory that makes the binary start now (checked
# again by the tool, and by the real ld.so), one list for a tree (-r),
# --json; Nix's name and version rules; a mutated store under sanitizers.
. "$(dirname "$0")/../lib.sh"
CHECK=$BUILD/ldshim-check
[ -x "$CHECK" ] || make -s -C "$ROOT" build/ldshim-check >/dev/null || { fail build "make build/ldshim-check failed"; exit 0; }
D=$(mktemp -d); trap 'chmod -R u+rwX "$D"; rm -rf "$D"' EXIT
chmod 755 "$D"
cp "$CHECK" "$D/ldshim-check"; CHECK=$D/ldshim-check
mkdir -p "$D"/{src,tree/bin,tree/lib,app/bin,app/lib,empty-store}
SYSLIBS=/lib/x86_64-linux-gnu
export NIX_LD=$REAL_LDSO NIX_LD_LIBRARY_PATH=$SYSLIBS
unset LD_LIBRARY_PATH NIX_LD_MODE NIX_LD_x86_64_linux NIX_LD_LIBRARY_PATH_x86_64_linux
# An unreadable file is only unreadable to someone else than root: the
# tool runs as nobody when the tests run as root.
AS=()
is_root && AS=(setpriv --reuid=65534 --regid=65534 --clear-groups --)

# The store: E NAME is the entry <hash>-NAME (hash: 32 characters of Nix's
# base-32, which has no e).
S=$D/store
E() { echo "$S/$(printf %s "$1" | md5sum | cut -c1-32 | tr e z)-$1"; }

cat > "$D/src/foo.c" <<'C'
int foo_old(void) { return 1; }
#ifdef NEW
int foo_new(void) { return 2; }
#endif
C
printf 'FOO_1.0 { global: foo_old; local: *; };\n' > "$D/src/v1.map"
printf 'FOO_1.0 { global: foo_old; local: *; };\nFOO_2.0 { global: foo_new; } FOO_1.0;\n' > "$D/src/v2.map"
printf 'int foo_old(void), foo_new(void);\nint main(void) { return foo_old() + foo_new() != 3; }\n' > "$D/src/prog.c"
printf 'int bar(void) { return 0; }\n' > "$D/src/bar.c"
printf 'int bar(void);\nint main(void) { return bar(); }\n' > "$D/src/c.c"
printf 'int bar(void), foo_new(void);\nint main(void) { return bar() + foo_new() != 2; }\n' > "$D/src/d.c"
gcc -shared -fPIC -o "$D/src/libfoo-v1.so" "$D/src/foo.c" -Wl,-soname,libfoo.so.1 -Wl,--version-script="$D/src/v1.map"
gcc -shared -fPIC -DNEW -o "$D/src/libfoo.so.1" "$D/src/foo.c" -Wl,-soname,libfoo.so.1 -Wl,--version-script="$D/src/v2.map"
gcc -shared -fPIC -o "$D/src/libbar.so.2" "$D/src/bar.c" -Wl,-soname,libbar.so.2
gcc -o "$D/prog" "$D/src/prog.c" "$D/src/libfoo.so.1"
# lib NAME [DIR]: the entry's lib directory (or DIR: lib64).
lib() { mkdir -p "$(E "$1")/${2:-lib}" && echo "$(E "$1")/${2:-lib}"; }
for v in 2.0 2.9 2.10 2.10pre1; do cp "$D/src/libfoo.so.1" "$(lib libfoo-$v)/"; done
cp "$D/src/libfoo-v1.so" "$(lib libfoo-1.0)/libfoo.so.1"
cp "$D/src/libfoo.so.1" "$(lib libfoo64-1.5 lib64)/"
if command -v aarch64-linux-gnu-gcc >/dev/null; then
	aarch64-linux-gnu-gcc -shared -fPIC -DNEW -o "$(lib libfoo-4.0)/libfoo.so.1" "$D/src/foo.c" \
		-Wl,-soname,libfoo.so.1 -Wl,--version-script="$D/src/v2.map"
else	# the same library, its e_machine made EM_AARCH64
	python3 -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[18:20]=(183).to_bytes(2,"little"); open(sys.argv[2],"wb").write(b)' \
		"$D/src/libfoo.so.1" "$(lib libfoo-4.0)/libfoo.so.1"
fi
echo 'INPUT(libfoo.so.1.0)' > "$(lib libfoo-5.0)/libfoo.so.1"	# not ELF
head -c 100 "$D/src/libfoo.so.1" > "$(lib libfoo-5.1)/libfoo.so.1"	# truncated
ln -s /nonexistent/libfoo.so.1 "$(lib libfoo-6.0)/libfoo.so.1"	# dangling
ln -s libfoo.so.1 "$(lib libfoo-6.1)/libfoo.so.1"		# a loop
mkdir "$(lib libfoo-7.0)/libfoo.so.1"				# a directory
mkfifo "$(lib libfoo-7.1)/libfoo.so.1"				# a FIFO: must not block
cp "$D/src/libfoo.so.1" "$(lib libfoo-8.0)/"; chmod 000 "$(E libfoo-8.0)"	# unreadable entry
cp "$D/src/libfoo.so.1" "$(lib libfoo-8.1)/"; chmod 000 "$(lib libfoo-8.1)/libfoo.so.1"	# unreadable file
# No store names: these are never looked at.
for n in notastorepath-libfoo-9.0 0123456789abcdfghijklmnpqrsvwxy-libfoo-9.1 \
	 0123456789abcdefghijklmnpqrsvwxy-libfoo-9.2 .links; do
	mkdir -p "$S/$n/lib"; cp "$D/src/libfoo.so.1" "$S/$n/lib/"
done
: > "$(E libfoo-9.3).drv"
cp "$D/src/libbar.so.2" "$(lib bar-1.2)/"

# cands FILE OUT: the candidate lines of OUT (those after "candidates for").
cands() { sed -n '/^ *candidates for /,/^ *to /p' <<<"$2" | sed '1d;$d'; }
out=$("${AS[@]}" "$CHECK" --store "$S" "$D/prog" 2>&1); rc=$?
check_eq store-exit-code "1" "$rc"
check_eq store-verdict "$D/prog: missing libraries: libfoo.so.1" "$(head -1 <<<"$out")"
check_eq store-header "  candidates for libfoo.so.1 (versions needed: FOO_1.0, FOO_2.0) in $S:" \
	"$(grep '^  candidates for' <<<"$out")"
W='wrong architecture: ELF64 aarch64'
check_eq store-ranking-and-verdicts "$(printf '    %-33s  %s\n' \
	usable "$(E libfoo-2.10)/lib/libfoo.so.1" \
	usable "$(E libfoo-2.10pre1)/lib/libfoo.so.1" \
	usable "$(E libfoo-2.9)/lib/libfoo.so.1" \
	usable "$(E libfoo-2.0)/lib/libfoo.so.1" \
	usable "$(E libfoo64-1.5)/lib64/libfoo.so.1" \
	"lacks FOO_2.0" "$(E libfoo-1.0)/lib/libfoo.so.1" \
	"$W" "$(E libfoo-4.0)/lib/libfoo.so.1")
    5 more files of that name skipped: not ELF, broken or unreadable" "$(cands x "$out")"
F=$(E libfoo-2.10)/lib
check_eq store-suggestion "  to fix it for good: programs.nix-ld.libraries = with pkgs; [ libfoo ];
    (package names, as in the store paths: usually, but not always, also the attribute; libX11 is xorg.libX11)
  to start it now: NIX_LD_LIBRARY_PATH=$F:$SYSLIBS
    checked: with that it would start" "$(sed -n '/^  to fix/,$p' <<<"$out")"
# The real ld.so agrees: with that directory the program runs.
LD_LIBRARY_PATH=$F "$D/prog"; check_eq store-fix-starts-the-program 0 $?
"$D/prog" 2>/dev/null; check_eq store-fails-without-it 127 $?

# Found, but too old: the newer one goes first in the path.
out=$("${AS[@]}" "$CHECK" --store "$S" --library-path "$(E libfoo-1.0)/lib:$SYSLIBS" "$D/prog" 2>&1)
check_eq store-too-old-verdict "$D/prog: libfoo.so.1 too old: needs FOO_2.0, have 1.0" "$(head -1 <<<"$out")"
check_eq store-too-old-fix "  to start it now: NIX_LD_LIBRARY_PATH=$F:$(E libfoo-1.0)/lib:$SYSLIBS
    checked: with that it would start" "$(sed -n '/^  to start/,$p' <<<"$out")"
# ... unless the old one is bundled through RUNPATH, which comes first:
# the check of the fix says so rather than promise.
cp "$D/src/libfoo-v1.so" "$D/app/lib/libfoo.so.1"
gcc -o "$D/app/bin/prog" "$D/src/prog.c" "$D/src/libfoo.so.1" -Wl,--enable-new-dtags -Wl,-rpath,'$ORIGIN/../lib'
out=$("${AS[@]}" "$CHECK" --store "$S" "$D/app/bin/prog" 2>&1)
check_eq store-fix-checked-honestly "    checked: with that, still: libfoo.so.1 too old: needs FOO_2.0, have 1.0" "$(tail -1 <<<"$out")"

# No store, an empty store, a file that is fine.
out=$("$CHECK" --store "$D/nonexistent" "$D/prog" 2>&1); rc=$?
check_eq store-missing-dir "rc=2 ldshim-check: --store $D/nonexistent: No such file or directory" "rc=$rc $out"
out=$("$CHECK" --store "$D/empty-store" "$D/prog" 2>&1)
check_eq store-empty "  candidates for libfoo.so.1 (versions needed: FOO_1.0, FOO_2.0) in $D/empty-store: none (nix-locate, of nix-index, searches all of nixpkgs)" "$(tail -1 <<<"$out")"
out=$("$CHECK" --store "$S" /bin/true 2>&1)
check_eq store-nothing-for-ok "/bin/true: ok" "$(grep -v '^  \(ELF\|lib\|ld-\|automatic library cache\)' <<<"$out")"

# -r: one list for the tree, each package once, with how many files need it.
cp "$D/prog" "$D/tree/bin/a"; cp "$D/prog" "$D/tree/bin/b"
gcc -o "$D/tree/bin/c" "$D/src/c.c" "$D/src/libbar.so.2"
gcc -o "$D/tree/bin/d" "$D/src/d.c" "$D/src/libbar.so.2" "$D/src/libfoo.so.1"
cp "$SYSLIBS/libz.so.1" "$D/tree/lib/"
out=$("${AS[@]}" "$CHECK" --store "$S" -r "$D/tree" 2>&1); rc=$?
B=$(E bar-1.2)/lib
check_eq store-tree "summary: 5 ELF files: 1 ok, 4 with problems, 0 not dynamic, 0 wrong architecture, 0 unreadable
missing libraries:
  libfoo.so.1 blocks 3 files
  libbar.so.2 blocks 2 files
candidates for libfoo.so.1, needed by 3 files (versions needed: FOO_1.0, FOO_2.0) in $S:
$(cands x "$("${AS[@]}" "$CHECK" --store "$S" "$D/prog")" | sed 's/^  //')
candidates for libbar.so.2, needed by 2 files in $S:
  usable  $B/libbar.so.2
to fix them for good: programs.nix-ld.libraries = with pkgs; [ bar libfoo ];
  (package names, as in the store paths: usually, but not always, also the attribute; libX11 is xorg.libX11)
  bar: needed by 2 files, $B
  libfoo: needed by 3 files, $F
to start them now: NIX_LD_LIBRARY_PATH=$B:$F:$SYSLIBS
  checked: with that, 4 of 4 files with problems would start
rc=1" "$(sed -n '/^summary:/,$p' <<<"$out")
rc=$rc"
if grep -q '^  candidates' <<<"$out"; then fail store-tree-lists-once "per-file candidates under -r:"; grep -m3 '^  candidates' <<<"$out"; else pass store-tree-lists-once; fi

# --json: the candidates, their versions and verdicts, the suggestion.
got=$("${AS[@]}" "$CHECK" --store "$S" --json "$D/prog" | python3 -c '
import json, sys
s = json.load(sys.stdin)["files"][0]["store"]
l = s["libraries"][0]
print(l["name"], l["missing"], l["versions"], l["skipped"], l["chosen"] == l["candidates"][0]["path"])
for c in l["candidates"]:
    print(c["package"], c["version"], c["verdict"], c["usable"], c["lacks"], c["architecture"])
print(s["suggested"], s["line"], s["with_fix"], s["add_to_library_path"] == sys.argv[1])' "$F" 2>&1)
check_eq store-json "libfoo.so.1 True ['FOO_1.0', 'FOO_2.0'] 5 True
libfoo 2.10 usable True None None
libfoo 2.10pre1 usable True None None
libfoo 2.9 usable True None None
libfoo 2.0 usable True None None
libfoo64 1.5 usable True None None
libfoo 1.0 lacks FOO_2.0 False FOO_2.0 None
libfoo 4.0 $W False None ELF64 aarch64
['libfoo'] programs.nix-ld.libraries = with pkgs; [ libfoo ]; ok True" "$got"
got=$("${AS[@]}" "$CHECK" --store "$S" --json -r "$D/tree" | python3 -c '
import json, sys
s = json.load(sys.stdin)["summary"]["store"]
print([(l["name"], l["files"]) for l in s["libraries"]], [(p["name"], p["files"]) for p in s["packages"]],
      s["files_fixed"], s["files_with_problems"])' 2>&1)
check_eq store-json-tree "[('libfoo.so.1', 3), ('libbar.so.2', 2)] [('bar', 2), ('libfoo', 3)] 4 4" "$got"

# glibc: a newer one comes with its own ld.so, so NIX_LD changes; it is
# not a package for programs.nix-ld.libraries. A 32-bit glibc of the same
# name is of another architecture.
printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' > "$D/src/hello.c"
gcc -o "$D/src/hello" "$D/src/hello.c"
G=$(lib glibc-2.99-1)
python3 - "$D/src/hello" "$D/hello99" "$SYSLIBS/libc.so.6" "$G/libc.so.6" "$(lib glibc-2.36-1)/libc.so.6" <<'PY'
import sys
def patch(src, dst, old, new):
    b = open(src, 'rb').read()
    assert b.count(old) == 1, (src, old)
    open(dst, 'wb').write(b.replace(old, new))
patch(sys.argv[1], sys.argv[2], b'\0GLIBC_2.34\0', b'\0GLIBC_2.99\0')
patch(sys.argv[3], sys.argv[4], b'\0GLIBC_2.36\0', b'\0GLIBC_2.99\0')	# a libc defining GLIBC_2.99
open(sys.argv[5], 'wb').write(open(sys.argv[3], 'rb').read())
PY
chmod +x "$D/hello99"
cp "$REAL_LDSO" "$G/ld-linux-x86-64.so.2"; cp "$REAL_LDSO" "$(lib glibc-2.36-1)/ld-linux-x86-64.so.2"
if [ -e /usr/i686-linux-gnu/lib/libc.so.6 ]; then
	cp /usr/i686-linux-gnu/lib/libc.so.6 "$(lib glibc-2.100-1)/"
	WANT32="
    wrong architecture: ELF32 i386  $(E glibc-2.100-1)/lib/libc.so.6"
else
	WANT32=
fi
out=$("${AS[@]}" "$CHECK" --store "$S" "$D/hello99" 2>&1)
W2=$([ -n "$WANT32" ] && echo 30 || echo 16)
check_eq store-glibc "  candidates for libc.so.6 (versions needed: GLIBC_2.2.5, GLIBC_2.99) in $S:
$(printf "    %-${W2}s  %s\n" usable "$G/libc.so.6" "lacks GLIBC_2.99" "$(E glibc-2.36-1)/lib/libc.so.6")$WANT32
  glibc 2.99-1 has what is needed; glibc's libraries must come with its own ld.so, so NIX_LD changes too (programs.nix-ld.libraries cannot replace glibc)
  to start it now: NIX_LD=$G/ld-linux-x86-64.so.2 NIX_LD_LIBRARY_PATH=$G:$SYSLIBS
    checked: with that it would start" "$(sed -n '/^  candidates/,$p' <<<"$out")"

# libstdc++ lives in gcc's lib output: the package is named gcc, the
# attribute is another (a copy of this machine's libstdc++ whose
# GLIBCXX_3.4 reads GLIBCXX_9.9, and a program needing it).
printf '#include <iostream>\nint main() { std::cout << "hi" << std::endl; }\n' > "$D/src/hi.cc"
if g++ -o "$D/src/hi" "$D/src/hi.cc" 2>/dev/null; then
	python3 - "$D/src/hi" "$D/hi99" "$SYSLIBS/libstdc++.so.6" "$(lib gcc-99.1.0-lib)/libstdc++.so.6" <<'PY'
import sys
for src, dst in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    b = open(src, 'rb').read()
    assert b.count(b'\0GLIBCXX_3.4\0') == 1, src
    open(dst, 'wb').write(b.replace(b'\0GLIBCXX_3.4\0', b'\0GLIBCXX_9.9\0'))
PY
	chmod +x "$D/hi99"
	cp "$SYSLIBS/libstdc++.so.6" "$(lib gcc-12.2.0-lib)/"
	out=$("${AS[@]}" "$CHECK" --store "$S" "$D/hi99" 2>&1)
	check_eq store-gcc "  candidates for libstdc++.so.6 (versions needed: GLIBCXX_9.9) in $S:
    usable             $(E gcc-99.1.0-lib)/lib/libstdc++.so.6
    lacks GLIBCXX_9.9  $(E gcc-12.2.0-lib)/lib/libstdc++.so.6
  to fix it for good: programs.nix-ld.libraries = with pkgs; [ gcc ];
    (package names, as in the store paths: usually, but not always, also the attribute; libX11 is xorg.libX11)
    (gcc is stdenv.cc.cc.lib: pkgs.gcc is the compiler's wrapper, without libstdc++)
  to start it now: NIX_LD_LIBRARY_PATH=$(E gcc-99.1.0-lib)/lib:$SYSLIBS
    checked: with that it would start" "$(sed -n '/^  candidates/,$p' <<<"$out")"
else
	skip store-gcc "no g++"
fi

# Nix's rules for names and versions.
if make -s -C "$ROOT" build/check-tool/libcheck.a >"$D/names-build.log" 2>&1 &&
	gcc -std=gnu11 -O1 -Wall -o "$D/store-names" "$ROOT/tests/check-tool/store-names.c" \
	"$ROOT/build/check-tool/libcheck.a" 2>>"$D/names-build.log"; then
	"$D/store-names" || true
else
	fail store-names-build "$(head -5 "$D/names-build.log")"
fi

# A mutated store under AddressSanitizer and UBSan: entry names with
# bytes flipped, libraries truncated and overwritten, lib/ as a file, as a
# link to /, links in loops. The tool must not crash, nor hang on a FIFO.
ASAN=$D/ldshim-check-asan
if make -s -C "$ROOT" build/ldshim-check-asan >"$D/asan-build.log" 2>&1 &&
	cp "$ROOT/build/ldshim-check-asan" "$ASAN" 2>>"$D/asan-build.log"; then
	chmod 755 "$ASAN"
	M=$D/mstore
	python3 - "$M" "$D/src/libfoo.so.1" "$D/src/libfoo-v1.so" "$D/src/libbar.so.2" <<'PY'
import os, random, sys
root = sys.argv[1]
rnd = random.Random(18)
seeds = [open(p, 'rb').read() for p in sys.argv[2:]]
alphabet = "0123456789abcdfghijklmnpqrsvwxyz"
os.makedirs(root)
for i in range(300):
    name = bytearray(("".join(rnd.choice(alphabet) for _ in range(32)) + "-libfoo-%d.%d" % (i % 7, i)).encode())
    if i % 3:
        for _ in range(rnd.randrange(1, 4)):
            name[rnd.randrange(len(name))] = rnd.choice(b"-._?=+eE/\x01\xff\xc3 0a")
    name = bytes(name).replace(b"/", b"_")
    d = os.path.join(root.encode(), name)
    if os.path.exists(d):
        continue
    kind = i % 8
    if kind == 0:
        open(d, 'wb').write(b'lib')                   # an entry that is a file
        continue
    if kind == 1:
        os.symlink(b"/", d)                           # an entry linking to /
        continue
    os.makedirs(d)
    sub = os.path.join(d, b"lib" if i % 5 else b"lib64")
    if kind == 2:
        open(sub, 'wb').write(b'not a directory')
        continue
    if kind == 3:
        os.symlink(sub, sub)                          # lib/ a loop
        continue
    os.makedirs(sub)
    for lib in (b"libfoo.so.1", b"libbar.so.2"):
        p = os.path.join(sub, lib)
        if kind == 4 and lib == b"libfoo.so.1":
            os.symlink(b"libbar.so.2", p)
            continue
        b = bytearray(rnd.choice(seeds))
        if rnd.random() < 0.4:
            b = b[:rnd.randrange(len(b))]
        else:
            for _ in range(rnd.randrange(1, 10)):
                at = rnd.randrange(min(0x1000, len(b)))
                w = rnd.choice([b'\xff' * 8, b'\0' * 8, rnd.randrange(1 << 64).to_bytes(8, 'little')])
                b[at:at + len(w)] = w
        open(p, 'wb').write(b)
PY
	bad=0
	for args in "$D/prog" "--json $D/prog" "-r $D/tree" "--json -r $D/tree" "--library-path $(E libfoo-1.0)/lib:$SYSLIBS $D/prog"; do
		# shellcheck disable=SC2086
		timeout 60 "${AS[@]}" "$ASAN" --store "$M" $args > "$D/m.out" 2> "$D/m.err"; rc=$?
		if [ "$rc" -gt 2 ] || grep -q 'Sanitizer\|runtime error' "$D/m.err"; then
			bad=1; fail "store-mutated $args" "rc=$rc: $(grep -m3 'ERROR\|runtime error' "$D/m.err")"
		fi
		case $args in --json*) python3 -m json.tool < "$D/m.out" >/dev/null ||
			{ bad=1; fail "store-mutated-json $args" "invalid JSON: $(head -c 300 "$D/m.out")"; } ;; esac
		[ "$args" = "$D/prog" ] && cp "$D/m.out" "$D/m1.out"
	done
	[ "$bad" = 0 ] && pass store-mutated-no-crash
	# Not vacuous: some of the mutated files are judged, others skipped.
	n=$(grep -cE '^    (usable|lacks|wrong)' "$D/m1.out"); k=$(sed -n 's/^    \([0-9]*\) more files.*/\1/p' "$D/m1.out")
	if [ "$n" -gt 0 ] && [ "${k:-0}" -gt 10 ]; then pass store-mutated-judged; else
		fail store-mutated-judged "expected candidates and skipped files, got $n judged, ${k:-0} skipped:"; head -20 "$D/m1.out"; fi
else
	skip store-mutated "no sanitizer build: $(head -2 "$D/asan-build.log")"
fi
