# ldshim-check on files built here and on the machine's own: the verdict,
# the exit code and where each library was found.
. "$(dirname "$0")/../lib.sh"
CHECK=$BUILD/ldshim-check
[ -x "$CHECK" ] || make -s -C "$ROOT" build/ldshim-check >/dev/null || { fail build "make build/ldshim-check failed"; exit 0; }
# A private directory and copy of the tool: other work in the checkout
# may clean build/ meanwhile.
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT
cp "$CHECK" "$D/ldshim-check"; CHECK=$D/ldshim-check
mkdir -p "$D"/{src,old,new,nix,app/bin,app/lib,loop,tree/bin,tree/lib,i686}
LIBDIR=/lib/x86_64-linux-gnu
SYSLIBS=$LIBDIR
GLIBC_HAVE=$(ldd --version | sed -n '1s/.* //p')	# "2.36"
# The configuration a NixOS user has, with this machine's libraries as the
# Nix library path.
export NIX_LD=$REAL_LDSO NIX_LD_LIBRARY_PATH=$SYSLIBS
unset LD_LIBRARY_PATH NIX_LD_MODE NIX_LD_x86_64_linux NIX_LD_LIBRARY_PATH_x86_64_linux

# expect CASE RC VERDICT CMD...: the first line's verdict (after "FILE: ")
# and the exit code.
expect() {
	local c=$1 rc=$2 v=$3; shift 3
	local out got
	out=$("$@" 2>&1); got=$?
	local first=${out%%$'\n'*}
	if [ "$got" == "$rc" ] && [ "${first#*: }" == "$v" ]; then pass "$c"; else
		fail "$c" "expected rc=$rc '$v', got rc=$got:"; printf '%s\n' "$out" | sed -n '1,20s/^/    /p'; fi
}
# has CASE TEXT CMD...: the output has TEXT on a line of its own.
has() {
	local c=$1 want=$2; shift 2
	local out; out=$("$@" 2>&1)
	if grep -qxF -- "$want" <<<"$out"; then pass "$c"; else
		fail "$c" "expected a line '$want', got:"; printf '%s\n' "$out" | sed -n '1,20s/^/    /p'; fi
}

cat > "$D/src/foo.c" <<'EOF'
int foo_old(void) { return 1; }
#ifdef NEW
int foo_new(void) { return 2; }
#endif
EOF
printf 'FOO_1.0 { global: foo_old; local: *; };\n' > "$D/src/v1.map"
printf 'FOO_1.0 { global: foo_old; local: *; };\nFOO_2.0 { global: foo_new; } FOO_1.0;\n' > "$D/src/v2.map"
cat > "$D/src/prog.c" <<'EOF'
int foo_old(void); int foo_new(void);
int main(void) { return foo_old() + foo_new() == 3 ? 0 : 1; }
EOF
cat > "$D/src/prog_old.c" <<'EOF'
int foo_old(void);
int main(void) { return foo_old() == 1 ? 0 : 1; }
EOF
cat > "$D/src/hello.c" <<'EOF'
#include <stdio.h>
int main(void) { puts("hi"); return 0; }
EOF
gcc -shared -fPIC -o "$D/old/libfoo.so.1" "$D/src/foo.c" -Wl,-soname,libfoo.so.1 -Wl,--version-script="$D/src/v1.map"
gcc -shared -fPIC -DNEW -o "$D/new/libfoo.so.1" "$D/src/foo.c" -Wl,-soname,libfoo.so.1 -Wl,--version-script="$D/src/v2.map"
gcc -o "$D/prog" "$D/src/prog.c" -L"$D/new" -l:libfoo.so.1
gcc -o "$D/prog_old" "$D/src/prog_old.c" -L"$D/new" -l:libfoo.so.1

# A program of this machine, as ldd sees it.
expect ok-system-binary 0 ok "$CHECK" /bin/ls
for f in /bin/ls /usr/bin/python3 "$(readlink -f $LIBDIR/libstdc++.so.6)"; do
	[ -e "$f" ] || continue
	# The real ld.so is listed apart by both.
	want=$(ldd "$f" | awk '$2 == "=>" && $3 ~ /^\// && $1 !~ /^ld-linux/ {print $1, $3}' | while read -r n p; do echo "$n $(readlink -f "$p")"; done | sort)
	got=$("$CHECK" -v "$f" | awk '$2 == "=>" && $3 ~ /^\// && $1 !~ /^ld-linux/ {print $1, $3}' | while read -r n p; do echo "$n $(readlink -f "$p")"; done | sort)
	check_eq "agrees-with-ldd $(basename "$f")" "$want" "$got"
done
expect ok-library 0 ok "$CHECK" "$LIBDIR/libstdc++.so.6"

# Missing soname: in the verdict, and (with -r) in the summary.
expect missing-soname 1 "missing libraries: libfoo.so.1" "$CHECK" "$D/prog"
has missing-soname-line "  libfoo.so.1 => not found (needed by prog)" "$CHECK" "$D/prog"
cp "$D/prog" "$D/prog_old" "$D/tree/bin/"; cp "$LIBDIR/libz.so.1" "$D/tree/lib/"
echo "not an ELF file" > "$D/tree/README"
mkdir -p "$D/empty-store"	# the candidates from a store: t-store.sh
out=$("$CHECK" --store "$D/empty-store" -r "$D/tree"); rc=$?
want="summary: 3 ELF files: 1 ok, 2 with problems, 0 not dynamic, 0 wrong architecture, 0 unreadable
missing libraries:
  libfoo.so.1 blocks 2 files
candidates for libfoo.so.1, needed by 2 files (versions needed: FOO_1.0, FOO_2.0) in $D/empty-store: none (nix-locate, of nix-index, searches all of nixpkgs)"
check_eq recursive-summary "$want
rc=1" "$(sed -n '/^summary:/,$p' <<<"$out")
rc=$rc"
if grep -q README <<<"$out"; then fail recursive-skips-non-elf "README reported: $out"; else pass recursive-skips-non-elf; fi

# Versions: the new library defines FOO_2.0, the old one only FOO_1.0.
expect version-ok 0 ok "$CHECK" --library-path "$D/new:$SYSLIBS" "$D/prog"
expect version-too-old 1 "libfoo.so.1 too old: needs FOO_2.0, have 1.0" "$CHECK" --library-path "$D/old:$SYSLIBS" "$D/prog"
has version-symbols "  FOO_2.0 not found in $D/old/libfoo.so.1 (newest FOO_1.0), needed by prog for foo_new" \
	"$CHECK" --library-path "$D/old:$SYSLIBS" "$D/prog"
expect version-not-needed 0 ok "$CHECK" --library-path "$D/old:$SYSLIBS" "$D/prog_old"
LD_LIBRARY_PATH=$D/new expect ld-library-path 0 ok "$CHECK" "$D/prog"

# glibc too old: a copy of a program whose GLIBC_2.34 need reads GLIBC_2.99.
gcc -o "$D/hello" "$D/src/hello.c"
python3 - "$D/hello" "$D/hello99" <<'EOF'
import sys
b = open(sys.argv[1], 'rb').read()
# .dynstr's copy; .strtab has "sym@GLIBC_2.34" too.
assert b.count(b'\0GLIBC_2.34\0') == 1, "expected one GLIBC_2.34 string"
open(sys.argv[2], 'wb').write(b.replace(b'\0GLIBC_2.34\0', b'\0GLIBC_2.99\0'))
EOF
chmod +x "$D/hello99"
expect glibc-ok 0 ok "$CHECK" "$D/hello"
expect glibc-too-old 1 "glibc too old: needs GLIBC_2.99, have $GLIBC_HAVE" "$CHECK" "$D/hello99"
has glibc-symbols "  GLIBC_2.99 not found in $LIBDIR/libc.so.6 (newest GLIBC_$GLIBC_HAVE), needed by hello99 for __libc_start_main" \
	"$CHECK" "$D/hello99"
out=$("$D/hello99" 2>&1)
case $out in *"GLIBC_2.99' not found"*) pass glibc-ld.so-agrees ;; *) fail glibc-ld.so-agrees "ld.so said: $out" ;; esac

# $ORIGIN RUNPATH: the bundled library wins over the Nix library path in
# fallback mode (ldshim's default), loses in override mode (nix-ld's).
cp "$D/new/libfoo.so.1" "$D/app/lib/"; cp "$D/old/libfoo.so.1" "$D/nix/"
gcc -o "$D/app/bin/prog" "$D/src/prog.c" -L"$D/new" -l:libfoo.so.1 -Wl,--enable-new-dtags -Wl,-rpath,'$ORIGIN/../lib'
has origin-runpath "  libfoo.so.1 => $D/app/bin/../lib/libfoo.so.1" "$CHECK" "$D/app/bin/prog"
expect origin-fallback 0 ok "$CHECK" --library-path "$D/nix:$SYSLIBS" "$D/app/bin/prog"
expect origin-override 1 "libfoo.so.1 too old: needs FOO_2.0, have 1.0" "$CHECK" --mode override --library-path "$D/nix:$SYSLIBS" "$D/app/bin/prog"
NIX_LD_MODE=override expect origin-override-env 1 "libfoo.so.1 too old: needs FOO_2.0, have 1.0" "$CHECK" --library-path "$D/nix:$SYSLIBS" "$D/app/bin/prog"
ln -sf "$D/app/bin/prog" "$D/prog-link"
expect origin-through-symlink 0 ok "$CHECK" --library-path "$D/nix:$SYSLIBS" "$D/prog-link"
# DT_RPATH (old style) comes before LD_LIBRARY_PATH.
gcc -o "$D/app/bin/prog_rpath" "$D/src/prog.c" -L"$D/new" -l:libfoo.so.1 -Wl,--disable-new-dtags -Wl,-rpath,'$ORIGIN/../lib'
LD_LIBRARY_PATH=$D/old expect rpath-before-ld-library-path 0 ok "$CHECK" "$D/app/bin/prog_rpath"
LD_LIBRARY_PATH=$D/old expect runpath-after-ld-library-path 1 "libfoo.so.1 too old: needs FOO_2.0, have 1.0" "$CHECK" "$D/app/bin/prog"

# A loop of dependencies ends.
echo 'int a(void) { return 1; }' > "$D/src/a.c"; echo 'int b(void) { return 2; }' > "$D/src/b.c"
gcc -shared -fPIC -o "$D/loop/libb.so" "$D/src/b.c" -Wl,-soname,libb.so
gcc -shared -fPIC -o "$D/loop/liba.so" "$D/src/a.c" -Wl,-soname,liba.so -L"$D/loop" -lb
gcc -shared -fPIC -o "$D/loop/libb.so" "$D/src/b.c" -Wl,-soname,libb.so -L"$D/loop" -la
expect dependency-loop 0 ok timeout 10 "$CHECK" --library-path "$D/loop:$SYSLIBS" "$D/loop/liba.so"

# Other architectures.
if command -v aarch64-linux-gnu-gcc >/dev/null; then
	aarch64-linux-gnu-gcc -o "$D/hello-aarch64" "$D/src/hello.c"
	expect wrong-architecture 1 "wrong architecture: ELF64 aarch64, this system is x86_64" "$CHECK" "$D/hello-aarch64"
	expect aarch64-with-arch 0 ok "$CHECK" --arch aarch64 --library-path /usr/aarch64-linux-gnu/lib "$D/hello-aarch64"
else
	python3 -c 'import sys; b=bytearray(open("/bin/true","rb").read()); b[18:20]=(183).to_bytes(2,"little"); open(sys.argv[1],"wb").write(b)' "$D/hello-aarch64"
	expect wrong-architecture 1 "wrong architecture: ELF64 aarch64, this system is x86_64" "$CHECK" "$D/hello-aarch64"
fi
if command -v i686-linux-gnu-gcc >/dev/null && [ -d /usr/i686-linux-gnu/lib ]; then
	i686-linux-gnu-gcc -o "$D/hello-i686" "$D/src/hello.c"
	has i686-interpreter "  ELF32 i386 executable, interpreter /lib/ld-linux.so.2 (ldshim serves it)" "$CHECK" "$D/hello-i686"
	# ld.so skips a library of the wrong class and searches on.
	has i686-skips-64-bit "  libc.so.6 => /usr/i686-linux-gnu/lib/libc.so.6" \
		env NIX_LD_LIBRARY_PATH_i686_linux="$SYSLIBS:/usr/i686-linux-gnu/lib" "$CHECK" "$D/hello-i686"
	expect i686-ok 0 ok env NIX_LD_LIBRARY_PATH_i686_linux="$SYSLIBS:/usr/i686-linux-gnu/lib" "$CHECK" "$D/hello-i686"
else
	skip i686 "i686-linux-gnu-gcc not installed"
fi

# Not dynamic: a static program runs anywhere.
if gcc -static -o "$D/hello-static" "$D/src/hello.c" 2>/dev/null; then
	expect not-dynamic 0 "not dynamic" "$CHECK" "$D/hello-static"
	gcc -static-pie -o "$D/hello-static-pie" "$D/src/hello.c" 2>/dev/null &&
		expect not-dynamic-static-pie 0 "not dynamic" "$CHECK" "$D/hello-static-pie"
else
	skip not-dynamic "no static libc (libc6-dev)"
fi
# Not served: an interpreter ldshim doesn't provide.
cp "$D/hello" "$D/hello-musl"
python3 - "$D/hello-musl" <<'EOF'
import sys
b = open(sys.argv[1], 'rb').read()
old = b'/lib64/ld-linux-x86-64.so.2\0'
open(sys.argv[1], 'wb').write(b.replace(old, b'/lib/ld-musl-x86_64.so.1\0'.ljust(len(old), b'\0')))
EOF
expect interpreter-not-served 1 "interpreter not served by ldshim: /lib/ld-musl-x86_64.so.1" "$CHECK" "$D/hello-musl"
