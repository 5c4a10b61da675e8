# Every way ldshim can fail to start a program, one file per message class,
# with the exact message ("<program>: ldshim: <file>: <reason>") and exit
# status 127. The real ld.so is taken from NIX_LD; the program is a copy
# of hello whose PT_INTERP is ldshim, so no namespace is needed. (The
# hostile-ELF corpus of tests/security goes further; these are the
# messages a user meets.)
. "$(dirname "$0")/../lib.sh"
E=$T/errors
mkdir -p "$E"
cc_prog "$T/hello" tests/progs/hello.c
command -v patchelf >/dev/null || { skip errors "patchelf not installed (make deps)"; exit 0; }
H=$E/hello-ldshim
cp "$T/hello" "$H"
patchelf --set-interpreter "$LDSHIM" "$H"

# poke FILE OFFSET BYTE...: overwrite bytes (octal escapes for printf).
poke() {
	local f=$1 off=$2; shift 2
	printf "$(printf '\\%03o' "$@")" | dd of="$f" bs=1 seek="$off" conv=notrunc status=none
}
u16() { od -An -tu2 -j "$2" -N2 "$1" | tr -d ' '; }
u64() { od -An -tu8 -j "$2" -N8 "$1" | tr -d ' '; }
variant() { cp "$REAL_LDSO" "$E/$1"; chmod 755 "$E/$1"; }

rm -rf "$E/dir" "$E/empty"
mkdir -p "$E/dir"
: > "$E/empty"
head -c 20 "$REAL_LDSO" > "$E/short"
cp "$ROOT/tests/progs/hello.c" "$E/not-elf"
variant class32;    poke "$E/class32" 4 1
variant big-endian; poke "$E/big-endian" 5 2
variant machine;    poke "$E/machine" 18 183 0          # EM_AARCH64
variant exec;       poke "$E/exec" 16 2 0               # ET_EXEC
variant rel;        poke "$E/rel" 16 1 0                # ET_REL
variant phentsize;  poke "$E/phentsize" 54 32 0
variant no-phdrs;   poke "$E/no-phdrs" 56 0 0
variant many-phdrs; poke "$E/many-phdrs" 56 200 0
phoff=$(u64 "$REAL_LDSO" 32) phnum=$(u16 "$REAL_LDSO" 56)
head -c $((phoff + 56)) "$REAL_LDSO" > "$E/trunc-phdrs"
head -c 8192 "$REAL_LDSO" > "$E/trunc-segment"
variant no-load
for ((i = 0; i < phnum; i++)); do
	o=$((phoff + 56 * i))
	[ "$(od -An -tu4 -j $o -N4 "$REAL_LDSO" | tr -d ' ')" = 1 ] && poke "$E/no-load" $o 0 0 0 0
done
variant bad-entry;  poke "$E/bad-entry" 24 0 0 0 0 0 0 0 0
variant no-perm;    chmod 600 "$E/no-perm"

# expect CASE FILE REASON [RUNNER...]: the program run with NIX_LD=FILE
# must print exactly "<program>: ldshim: FILE: REASON" and exit 127.
expect() {
	local c=$1 f=$2 why=$3; shift 3
	local out
	out=$(env -i NIX_LD="$f" "$@" "$H" 2>&1; echo "rc=$?")
	check_eq "$c" "$H: ldshim: $f: $why
rc=127" "$out"
}
expect missing       "$E/missing"       "No such file or directory"
expect directory     "$E/dir"           "Is a directory"
expect not-regular   /dev/null          "not a regular file"
expect empty         "$E/empty"         "empty file"
expect short         "$E/short"         "file too short for an ELF header"
expect not-elf       "$E/not-elf"       "not an ELF file"
expect wrong-class   "$E/class32"       "wrong ELF class: 32-bit, need 64-bit"
expect byte-order    "$E/big-endian"    "wrong byte order: big-endian, need little-endian"
expect wrong-machine "$E/machine"       "wrong machine: not built for x86_64_linux"
expect et-exec       "$E/exec"          "not a shared object: ET_EXEC, need ET_DYN"
expect et-rel        "$E/rel"           "not a shared object: need ET_DYN"
expect phentsize     "$E/phentsize"     "bad program header entry size"
expect no-phdrs      "$E/no-phdrs"      "no program headers"
expect many-phdrs    "$E/many-phdrs"    "too many program headers"
expect trunc-phdrs   "$E/trunc-phdrs"   "truncated program header table"
expect no-pt-load    "$E/no-load"       "no PT_LOAD segment"
expect trunc-segment "$E/trunc-segment" "truncated: a PT_LOAD segment extends past the end of the file"
expect bad-entry     "$E/bad-entry"     "entry point outside any executable segment"
if is_root && command -v setpriv >/dev/null; then
	expect eacces "$E/no-perm" "Permission denied" setpriv --reuid=nobody --regid=nogroup --clear-groups
else
	skip eacces "needs root and setpriv to run as nobody"
fi

# Run as a command, the same message names ldshim as the program.
out=$(env -i NIX_LD="$E/not-elf" "$LDSHIM" "$T/hello" 2>&1; echo "rc=$?")
check_eq explicit-not-elf "$LDSHIM: ldshim: $E/not-elf: not an ELF file
rc=127" "$out"
