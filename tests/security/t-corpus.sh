# Hostile and broken ld.so files (tests/security/make-corpus): each one,
# given as NIX_LD, makes ldshim exit 127 with its own exact message, never
# a signal, inside the simulated NixOS.
. "$(dirname "$0")/../lib.sh"
cc_prog "$T/hello" tests/progs/hello.c
is_root || { skip corpus "needs root for the simulated NixOS"; exit 0; }
cc_prog "$T/asuser" tests/security/progs/asuser.c -- -static
C=$T/corpus
tests/security/make-corpus "$C" || { fail corpus "make-corpus failed"; exit 0; }

# file|reason ("<program>: ldshim: <file>: <reason>"); run as nobody when
# marked "nobody:" (root reads files without read permission).
long=$C/$(printf 'x%.0s' $(seq 5000))
cases=(
	"$C/empty|empty file"
	"$C/short-text|not an ELF file"
	"$C/truncated-ehdr|file too short for an ELF header"
	"$C/text|not an ELF file"
	"$C/class32|wrong ELF class: 32-bit, need 64-bit"
	"$C/big-endian|wrong byte order: big-endian, need little-endian"
	"$C/machine-aarch64|wrong machine: not built for x86_64_linux"
	"$C/type-exec|not a shared object: ET_EXEC, need ET_DYN"
	"$C/type-rel|not a shared object: need ET_DYN"
	"$C/phentsize|bad program header entry size"
	"$C/phnum-zero|no program headers"
	"$C/phnum-huge|too many program headers"
	"$C/phoff-past-eof|truncated program header table"
	"$C/phdrs-cut-by-eof|truncated program header table"
	"$C/phdrs-truncated|truncated program header table"
	"$C/phoff-misaligned|misaligned program header table"
	"$C/filesz-gt-memsz|PT_LOAD with p_filesz > p_memsz"
	"$C/misaligned-offset|misaligned PT_LOAD: p_offset and p_vaddr differ modulo the page size"
	"$C/misaligned-vaddr|misaligned PT_LOAD: p_offset and p_vaddr differ modulo the page size"
	"$C/load-offset-past-eof|truncated: a PT_LOAD segment extends past the end of the file"
	"$C/load-filesz-past-eof|truncated: a PT_LOAD segment extends past the end of the file"
	"$C/load-huge-memsz|PT_LOAD segment too large"
	"$C/load-huge-vaddr|PT_LOAD segment too large"
	"$C/span-over-1g|PT_LOAD segment too large"
	"$C/loads-overlap|PT_LOAD segments overlap or are out of order"
	"$C/loads-out-of-order|PT_LOAD segments overlap or are out of order"
	"$C/no-load|no PT_LOAD segment"
	"$C/entry-outside|entry point outside any executable segment"
	"$C/entry-in-data|entry point outside any executable segment"
	"$C/directory|Is a directory"
	"$C/fifo|not a regular file"
	"/dev/null|not a regular file"
	"$C/loop-a|Too many levels of symbolic links"
	"$C/dangling|No such file or directory"
	"$C/missing|No such file or directory"
	"$C/text/below-a-file|Not a directory"
	"$long|File name too long"
	"$C/sparse-2g|not an ELF file"
	"$C/sparse-2g-headless|not an ELF file"
	"nobody:$C/no-read|Permission denied"
)
# Nobody's cases run from a directory uid 65534 can reach: the checkout
# may be in a private home.
U=
for base in "$T" /tmp /var/tmp; do nobody_reaches "$base" && U=$(mktemp -d "$base/ldshim-corpus.XXXXXX") && break; done
if [ -n "$U" ]; then
	trap 'rm -rf "$U"' EXIT
	chmod 755 "$U"; cp -p "$T/hello" "$C/no-read" "$U/"
fi
for c in "${cases[@]}"; do
	file=${c%%|*} reason=${c#*|} as=() prog=$T/hello
	case $file in nobody:*)
		[ -n "$U" ] || { skip corpus-no-read "uid 65534 can reach none of $T /tmp /var/tmp"; continue; }
		file=$U/${file#"nobody:$C/"} prog=$U/hello as=("$T/asuser" 65534 65534) ;;
	esac
	name=${file#"$C/"}
	[ "$file" = "$U/no-read" ] && name=no-read
	[ "$file" = "$long" ] && name=name-too-long
	[ "$file" = /dev/null ] && name=dev-null
	[ "$file" = "$C/text/below-a-file" ] && name=not-a-directory
	out=$(env -i "NIX_LD=$file" "NIX_LD_LIBRARY_PATH=$STORE/lib" \
		"$SIM" -- "${as[@]}" "$prog" 2>&1); rc=$?
	want="$prog: ldshim: $file: $reason"
	if [ "$rc" = 127 ] && [ "$out" = "$want" ]; then pass "corpus-$name"
	elif [ "$rc" -gt 128 ]; then fail "corpus-$name" "killed by signal $((rc - 128)); output: $out"
	else fail "corpus-$name" "expected rc 127 and '$want', got rc $rc and '${out:0:300}'"; fi
done
n=$(find "$C" -mindepth 1 -maxdepth 1 | wc -l)
[ "$n" -ge 20 ] && pass corpus-size || fail corpus-size "expected >= 20 files, got $n"
rm -rf "$C"
