# ldshim-cache against glibc's own `ldconfig -C`, one directory at a
# time: for every name ldconfig lists whose file exists, the same path,
# the same raw entry flags and the same relative order. ldconfig keys its
# entries by soname and lists a development symlink (libfoo.so ->
# libfoo.so.1) when its target is named by the soname; ldshim-cache keys
# by file name and lists every file ld.so would load, so it lists more.
# The differences are printed as notes.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
LDCONFIG=$(command -v ldconfig || echo /sbin/ldconfig)
[ -x "$LDCONFIG" ] || { skip ldconfig "no ldconfig (libc-bin)"; exit 0; }
R=$D/root	# ldconfig -r: nothing else (no system directories) in it

# compare CASE ARCH SUB: the caches of $R/SUB by both, as /SUB.
compare() {
	local c=$1 arch=$2 sub=$3
	rm -f "$R/ldconfig.cache"
	# -X: make no links; -i: no aux cache; -f /dev/null: no ld.so.conf.
	"$LDCONFIG" -r "$R" -X -i -C /ldconfig.cache -f /dev/null "/$sub" 2>"$D/ldconfig.err" ||
		{ fail "$c" "ldconfig failed: $(head -3 "$D/ldconfig.err")"; return; }
	"$TOOL" --arch "$arch" --map "$R/$sub=/$sub" -o "$D/mine.cache" "$R/$sub" 2>"$D/mine.err" ||
		{ fail "$c" "ldshim-cache failed: $(head -3 "$D/mine.err")"; return; }
	python3 "$HERE/dump-cache.py" "$R/ldconfig.cache" > "$D/theirs" &&
	python3 "$HERE/dump-cache.py" "$D/mine.cache" > "$D/mine" ||
		{ fail "$c" "cannot read a cache"; return; }
	local out
	out=$(python3 - "$R" "$D/theirs" "$D/mine" <<'PY'
import os, sys
root, theirs, mine = sys.argv[1:]
def load(p):
    return [l.rstrip('\n').split(' ', 2) for l in open(p)]
t, m = load(theirs), load(mine)
mm = {name: (flags, path) for flags, name, path in m}
common, bad = [], []
for flags, name, path in t:
    if not os.path.exists(root + path):
        print('note: ldconfig lists %s => %s, which does not exist (the soname, '
              'not a file of the directory)' % (name, path))
        continue
    if name not in mm:
        bad.append('%s: ldconfig has %s %s, ldshim-cache nothing' % (name, flags, path))
    elif mm[name] != (flags, path):
        bad.append('%s: ldconfig has %s %s, ldshim-cache %s %s' % ((name, flags, path) + mm[name]))
    else:
        common.append(name)
order = [name for _, name, _ in m if name in set(common)]
if order != common:
    bad.append('order differs: ldconfig %s, ldshim-cache %s' % (common, order))
tn = {name for _, name, _ in t}
extra = [name for _, name, _ in m if name not in tn]
if extra:
    print('note: only ldshim-cache lists %s (file names that are not sonames or '
          'development links)' % ', '.join(extra))
print('compared %d names' % len(common))
for b in bad:
    print('MISMATCH ' + b)
PY
)
	grep '^note:' <<<"$out" | sed 's/^/  /'
	if grep -q '^MISMATCH' <<<"$out" || ! grep -q '^compared [1-9]' <<<"$out"; then
		fail "$c" "$(grep -v '^note:' <<<"$out" | head -8)"
	else
		pass "$c ($(grep -o '^compared [0-9]* names' <<<"$out"))"
	fi
}

# x86_64: versions whose digit runs must compare as numbers, development
# symlinks, a soname that no file is named by, a linker script, and
# names that differ in case and punctuation.
X=$R/x
for n in libcta.so.1 libctb.so.1.2.10 libctb.so.1.2.9 libctb.so.1.10 libctb.so.1.9 \
	libct10.so libct9.so libct09x.so libCT_up.so.1 libct-dash.so.1 libct+plus.so.1 \
	libct.so.0 libct.so.00.1; do
	mklib gcc "$X/$n"
done
ln -s libcta.so.1 "$X/libcta.so"
mklib gcc "$X/libctq.so.2.0" libctq.so.2
ln -s libctq.so.2.0 "$X/libctq.so"
mklib gcc "$X/libcts.so.4.5.6" libcts.so.4
ln -s libcts.so.4.5.6 "$X/libcts.so.4"
ln -s libcts.so.4 "$X/libcts.so"
echo 'INPUT(-lc)' > "$X/libctscript.so"
compare ldconfig-x86_64 x86_64 x

# i386 (ldconfig handles both x86 classes): 0x0003, libc6 without an ABI
# bit. ldconfig writes 0x0001 ("ELF") for a library that does not need
# libc.so.6; the i386 ld.so takes both.
if command -v i686-linux-gnu-gcc >/dev/null; then
	for n in libct32.so.1 libct32.so.1.10 libct32.so.1.9; do mklib i686-linux-gnu-gcc "$R/y/$n"; done
	ln -s libct32.so.1 "$R/y/libct32.so"
	compare ldconfig-i386 i386 y
else
	skip ldconfig-i386 "no i686-linux-gnu-gcc (apt-get install gcc-i686-linux-gnu)"
fi

# aarch64 and riscv64: the host's ldconfig does not know them ("is for
# unknown machine 183") and leaves them out; their flags are checked by
# each system's real ld.so under qemu-user in t-resolve.sh.
for a in aarch64 riscv64; do
	cc=$a-linux-gnu-gcc
	command -v "$cc" >/dev/null || { skip "ldconfig-$a" "no $cc"; continue; }
	mklib "$cc" "$R/z-$a/libctx.so.1"
	"$LDCONFIG" -v -r "$R" -X -i -C /ldconfig.cache -f /dev/null "/z-$a" >/dev/null 2>"$D/ldconfig.err"
	n=$(python3 "$HERE/dump-cache.py" "$R/ldconfig.cache" | wc -l)
	if [ "$n" = 0 ]; then
		skip "ldconfig-$a" "this machine's ldconfig does not handle $a: $(grep -m1 machine "$D/ldconfig.err" | sed 's/^ldconfig: //')"
	else
		compare "ldconfig-$a" "$a" "z-$a"
	fi
done
