# ldshim-cache on bad input: every refusal has its message and exit
# status (1; 2 for usage) and writes nothing; name clashes name both
# files; hwcaps subdirectories are refused; a cache that no longer
# describes its directories, or describes others, fails --check; broken
# files given to --print and --check are reported.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
chmod 755 "$D"	# the runs as nobody below reach the tool and the fixtures
O=$D/out.cache
L=$D/lib
mkdir -p "$L" "$D/out"
mklib gcc "$L/libgood.so.1"

# written CASE: nothing was written (no cache, no temporary file).
not_written() {
	if [ -e "$O" ] || ls "$D"/out.cache.* >/dev/null 2>&1; then
		fail "$1 writes nothing" "found $(ls "$D"/out.cache* 2>&1 | head -3)"; rm -f "$D"/out.cache*
	else pass "$1 writes nothing"; fi
}
# as_nobody CMD...: run CMD without root's power to read anything.
if is_root && command -v setpriv >/dev/null; then
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
elif ! is_root; then
	as_nobody() { "$@"; }
fi

# Usage: exit 2.
rc_msg usage-no-dir 2 "ldshim-cache: no directory given" "$TOOL" -o "$O"
rc_msg usage-no-output 2 "ldshim-cache: -o FILE missing" "$TOOL" "$L"
rc_msg usage-bad-arch 2 "ldshim-cache: --arch mips: expected x86_64, i386, aarch64 or riscv64" \
	"$TOOL" --arch mips -o "$O" "$L"
rc_msg usage-bad-map 2 "ldshim-cache: --map a=b: expected FROM=TO, both absolute" "$TOOL" --map a=b -o "$O" "$L"
"$TOOL" --bogus >/dev/null 2>&1; check_eq usage-bad-option 2 $?

# The directories.
rc_msg dir-relative 1 "ldshim-cache: lib: not an absolute path (ld.so would search it from the current directory)" \
	env -C "$D" "$TOOL" -o "$O" lib
rc_msg dir-missing 1 "ldshim-cache: $D/nope: No such file or directory" "$TOOL" -o "$O" "$D/nope"
rc_msg dir-not-a-directory 1 "ldshim-cache: $L/libgood.so.1: not a directory" "$TOOL" -o "$O" "$L/libgood.so.1"
for c in : ';'; do
	mkdir -p "$D/a${c}b"
	rc_msg "dir-with-$c" 1 "ldshim-cache: $D/a${c}b: contains ':' or ';', which split LD_LIBRARY_PATH" \
		"$TOOL" -o "$O" "$D/a${c}b"
done
mkdir -p "$D/a\$b"
rc_msg 'dir-with-$' 1 "ldshim-cache: $D/a\$b: contains '\$', which ld.so expands in LD_LIBRARY_PATH (\$ORIGIN, \$LIB, \$PLATFORM)" \
	"$TOOL" -o "$O" "$D/a\$b"
rc_msg map-to-relative 2 "ldshim-cache: --map $L=lib: expected FROM=TO, both absolute" "$TOOL" --map "$L=lib" -o "$O" "$L"
if declare -F as_nobody >/dev/null; then
	mkdir -p "$D/closed"; mklib gcc "$D/closed/libx.so.1"; chmod 700 "$D/closed"
	is_root || chmod 000 "$D/closed"
	rc_msg dir-unreadable 1 "ldshim-cache: $D/closed: Permission denied" as_nobody "$TOOL" -o "$O" "$D/closed"
	mkdir -p "$D/ro"; chmod 555 "$D/ro"
	rc_msg output-not-writable 1 "ldshim-cache: $D/ro/x.cache: Permission denied" \
		as_nobody "$TOOL" -o "$D/ro/x.cache" "$L"
else
	skip dir-unreadable "root without setpriv (util-linux): cannot run as another user"
fi
rc_msg output-dir-missing 1 "ldshim-cache: $D/nodir/x.cache: No such file or directory" \
	"$TOOL" -o "$D/nodir/x.cache" "$L"
rc_msg output-in-a-dir 1 "ldshim-cache: $L/c: is in one of the directories: writing it would make the cache out of date at once" \
	"$TOOL" -o "$L/c" "$L"
not_written dir-errors

# Name clashes: the first file stops ld.so's search, a later directory
# has the library. Both are named; nothing is written.
clash() {	# clash CASE WHY: $D/c1/NAME (made by the caller) and $D/c2/NAME
	local c=$1 why=$2 name=$3; shift 3
	mklib gcc "$D/c2/$name"
	rc_msg "clash-$c" 1 "ldshim-cache: name clash: $D/c1/$name ($why) stops ld.so's search of the path, but a cache would load $D/c2/$name" \
		"$@" "$TOOL" -o "$O" "$D/c1" "$D/c2"
	not_written "clash-$c"
	rm -rf "$D/c1" "$D/c2"; mkdir -p "$D/c1" "$D/c2"
}
mkdir -p "$D/c1" "$D/c2"
echo 'INPUT(-lc)' > "$D/c1/libfoo.so"
clash linker-script "not an ELF file" libfoo.so
echo 'int main(void) { return 0; }' > "$D/main.c"
gcc -no-pie -o "$D/c1/libexe.so.1" "$D/main.c"
clash executable "an executable, not a library (ET_EXEC)" libexe.so.1
gcc -c -fPIC -o "$D/c1/libobj.so.1" "$D/main.c"
clash object "not a shared object (only ET_DYN and ET_EXEC load)" libobj.so.1
mkdir "$D/c1/libdir.so.1"
clash directory "a directory" libdir.so.1
head -c 40 "$L/libgood.so.1" > "$D/c1/libshort.so.1"
clash truncated "file too short" libshort.so.1
if declare -F as_nobody >/dev/null; then
	chmod 755 "$D/c1" "$D/c2"
	mklib gcc "$D/c1/libsecret.so.1"; chmod 600 "$D/c1/libsecret.so.1"
	clash unreadable "Permission denied" libsecret.so.1 as_nobody
fi
# Shadowing nothing, the same files are left out, and said so at -v.
mkdir -p "$D/quiet"
echo 'INPUT(-lc)' > "$D/quiet/libscript.so"
cp "$D/c1/../main.c" "$D/quiet/README"
mklib gcc "$D/quiet/libok.so.1"
out=$("$TOOL" -v -o "$O" "$D/quiet" 2>&1); rc=$?
got=$("$TOOL" --print "$O" | grep -c '=>')
if [ "$rc" = 0 ] && [ "$got" = 1 ] && grep -qF "skipped $D/quiet/libscript.so: not an ELF file; shadows nothing" <<<"$out"; then
	pass unusable-shadowing-nothing; else fail unusable-shadowing-nothing "rc=$rc, $got entries: $out"; fi
rm -f "$O"

# Names ld.so's cache lookup cannot tell apart: "01" and "1" are equal.
mkdir -p "$D/eq"
mklib gcc "$D/eq/libeq.so.01"; mklib gcc "$D/eq/libeq.so.1"
out=$("$TOOL" -o "$O" "$D/eq" 2>&1); rc=$?
if [ "$rc" = 1 ] && grep -q "libeq.so.01 and .*libeq.so.1: ld.so's cache cannot tell these names apart\|libeq.so.1 and .*libeq.so.01: ld.so's cache cannot tell" <<<"$out"; then
	pass equal-names; else fail equal-names "rc=$rc: $out"; fi
not_written equal-names

# hwcaps subdirectories: refused by name, for the architecture's names.
for sub in glibc-hwcaps/x86-64-v3 tls x86_64 haswell avx512_1; do
	mkdir -p "$D/hw/$sub"
	rc_msg "hwcaps-$sub" 1 "ldshim-cache: $D/hw/${sub%%/*}: glibc-hwcaps/legacy hwcaps subdirectories are not supported: a cache would not choose between them as ld.so's search does" \
		"$TOOL" -o "$O" "$L" "$D/hw"
	rm -rf "$D/hw"
done
mkdir -p "$D/hw/atomics"
rc_msg hwcaps-aarch64-atomics 1 "ldshim-cache: $D/hw/atomics: glibc-hwcaps/legacy hwcaps subdirectories are not supported: a cache would not choose between them as ld.so's search does" \
	"$TOOL" --arch aarch64 -o "$O" "$D/hw"
"$TOOL" --arch x86_64 -o "$O" "$D/hw" 2>/dev/null
check_eq hwcaps-other-arch-name-is-a-directory 0 $?
rm -rf "$D/hw"; mkdir -p "$D/hw/real"; ln -s real "$D/hw/tls"
rc_msg hwcaps-symlink 1 "ldshim-cache: $D/hw/tls: glibc-hwcaps/legacy hwcaps subdirectories are not supported: a cache would not choose between them as ld.so's search does" \
	"$TOOL" -o "$O" "$D/hw"
rm -rf "$D/hw"; mkdir -p "$D/hw"; : > "$D/hw/tls"
"$TOOL" -o "$O" "$D/hw" 2>/dev/null
check_eq hwcaps-file-named-tls 0 $?
rm -f "$O"

# A good cache: mode 0644 whatever the umask, no temporary file left;
# empty is fine; trailing slashes are stripped from paths, kept in the
# list; --map records the other name.
(umask 077; "$TOOL" -o "$O" "$L/") ; check_eq written-mode 644 "$(stat -c %a "$O")"
check_eq no-temporary-left "$O" "$(ls "$D"/out.cache*)"
check_eq trailing-slash "	libgood.so.1 (libc6,x86-64) => $L/libgood.so.1
Built for (x86_64): $L/" "$("$TOOL" --print "$O" | grep -E '=>|^Built')"
mkdir -p "$D/empty"
out=$("$TOOL" -v -o "$O" "$D/empty"); rc=$?
if [ "$rc" = 0 ] && grep -q "no libraries found: the cache has 0 entries" <<<"$out" &&
	[ "$("$TOOL" --print "$O" | head -1)" = "0 libs found in cache \`$O'" ]; then
	pass empty; else fail empty "rc=$rc: $out"; fi
"$TOOL" --map "$D=/opt/x" -o "$O" "$L" "$D/empty"
check_eq map "	libgood.so.1 (libc6,x86-64) => /opt/x/lib/libgood.so.1
Built for (x86_64): /opt/x/lib:/opt/x/empty" "$("$TOOL" --print "$O" | grep -E '=>|^Built')"

# --check: current; another list; a directory changed.
"$TOOL" -o "$O" "$L" "$D/empty"
rc_msg check-current 0 "" "$TOOL" --check "$O" "$L" "$D/empty"
rc_msg check-other-list 1 "ldshim-cache: $O: built for $L:$D/empty, not $L" "$TOOL" --check "$O" "$L"
touch "$D/empty/libnew.so.1"
rc_msg check-stale 1 "ldshim-cache: $O: out of date: $D/empty: changed since the cache was built" \
	"$TOOL" --check "$O"
rmdir "$D/closed" 2>/dev/null; rm -rf "$D/empty"
rc_msg check-dir-gone 1 "ldshim-cache: $O: out of date: $D/empty: No such file or directory" \
	"$TOOL" --check "$O"

# Broken files given to --print and --check.
"$TOOL" -o "$O" "$L"
head -c 100 "$O" > "$D/trunc"
bad() {	# bad CASE FILE REASON
	rc_msg "print-$1" 1 "ldshim-cache: $2: not a valid ldshim cache: $3" "$TOOL" --print "$2"
	rc_msg "check-$1" 1 "ldshim-cache: $2: not a valid ldshim cache: $3" "$TOOL" --check "$2"
}
bad truncated "$D/trunc" "the strings run past the end"
: > "$D/empty-file"
bad empty "$D/empty-file" "too short for a cache header"
head -c 4000 /dev/urandom > "$D/garbage"
bad garbage "$D/garbage" "not a glibc-ld.so.cache1.1 file"
if [ -s /etc/ld.so.cache ]; then
	bad glibc-cache /etc/ld.so.cache "no ldshim record (a cache ldshim-cache did not write)"
fi
cp "$O" "$D/grown"; printf 'x' >> "$D/grown"
bad grown "$D/grown" "the record is not the 8-aligned end of the file"
rc_msg print-missing 1 "ldshim-cache: $D/nope: No such file or directory" "$TOOL" --print "$D/nope"
rc_msg check-directory 1 "ldshim-cache: $D: not a regular file" "$TOOL" --check "$D"
