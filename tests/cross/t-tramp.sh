# The trampolines of i386, aarch64 and riscv64 keep the entry contract
# (DESIGN: transparency 4): only scratch registers written, the rtld_fini
# register never, sp at most once, no call/ret/push/pop, an indirect jump
# at the end. i386 and aarch64 with capstone (xtramp-check.c); riscv64
# with riscv64-linux-gnu-objdump, because capstone 4 (Debian 12) has no
# RISC-V. Controls show each checker rejects what it must.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/cross.sh"
W=$T/cross
mkdir -p "$W"

# tramp_bytes OUT: the arch's ldshim_trampoline bytes; prints its address.
tramp_bytes() {
	local f=$XLDSHIM addr size taddr toff
	[ -e "$f.debug" ] && f=$f.debug   # the unstripped link, same bytes
	read -r addr size < <($XTRIPLE-nm -S "$f" | awk '$4 == "ldshim_trampoline" {print $1, $2}')
	read -r taddr toff < <($XTRIPLE-readelf -SW "$f" | awk '{for (i = 1; i < NF; i++) if ($i == ".text") print $(i + 2), $(i + 3)}')
	[ -n "$addr" ] && [ -n "$size" ] && [ -n "$taddr" ] || return 1
	dd if="$f" of="$1" bs=1 skip=$((0x$addr - 0x$taddr + 0x$toff)) count=$((0x$size)) 2>/dev/null
	echo "0x$addr"
}

# control ARCH CASE ASM: the checker must reject these instructions.
control() {
	local a=$1 c=$2 asm=$3
	printf '%s\n' "$asm" > "$W/xtc-$c.s"
	if ! $XTRIPLE-as -o "$W/xtc-$c.o" "$W/xtc-$c.s" 2>"$W/xtc-$c.err" ||
	   ! $XTRIPLE-objcopy -O binary -j .text "$W/xtc-$c.o" "$W/xtc-$c.bin"; then
		fail "$c" "could not assemble the control: $(cat "$W/xtc-$c.err")"; return
	fi
	if "$W/xtramp-check" "$a" "$W/xtc-$c.bin" 0x1000 >"$W/xtc-$c.out"; then
		fail "$c" "the checker accepted: $asm"
	else pass "$c"; fi
}

have_capstone=1
[ -e /usr/include/capstone/capstone.h ] || have_capstone=0
[ $have_capstone = 1 ] && cc_prog "$W/xtramp-check" tests/cross/xtramp-check.c -- -lcapstone

for a in i386 aarch64; do
	if ! cross_init $a; then skip "tramp-capstone-$a" "$CROSS_WHY"; continue; fi
	[ $have_capstone = 1 ] || { skip "tramp-capstone-$a" "no libcapstone-dev"; continue; }
	if ! cross_build; then fail "tramp-capstone-$a" "$CROSS_WHY"; continue; fi
	addr=$(tramp_bytes "$W/tramp-$a.bin") || { fail "tramp-capstone-$a" "no sized ldshim_trampoline symbol in $XLDSHIM"; continue; }
	if out=$("$W/xtramp-check" $a "$W/tramp-$a.bin" "$addr"); then pass "tramp-capstone-$a"
	else fail "tramp-capstone-$a" "$out"; fi
done

if cross_init i386 && [ $have_capstone = 1 ]; then
	control i386 tramp-control-i386-fini 'mov %eax, %edx
jmp *%eax'
	control i386 tramp-control-i386-callpop 'call 1f
1: pop %eax
jmp *%eax'
	control i386 tramp-control-i386-ebx 'mov %eax, %ebx
jmp *%eax'
	control i386 tramp-control-i386-end 'mov %eax, %ecx'
fi
if cross_init aarch64 && [ $have_capstone = 1 ]; then
	control aarch64 tramp-control-aarch64-fini 'mov x0, x9
br x16'
	control aarch64 tramp-control-aarch64-stp 'stp x29, x30, [sp, #-16]!
br x16'
	control aarch64 tramp-control-aarch64-x19 'mov x19, x9
br x16'
	control aarch64 tramp-control-aarch64-bl 'bl 0
br x16'
fi

# riscv64, from objdump's text (aliases on: mv, li, ld, sd, beqz, jr).
# rvcheck FILE: every broken rule, one per line; nothing when all hold.
rvcheck() {
	awk '
	/^ *[0-9a-f]+:\t/ {
		split($0, f, "\t"); m = f[3]; ops = f[4]; sub(/ *#.*/, "", ops)
		n++; last = m " " ops
		split(ops, o, ","); rd = o[1]
		if (m ~ /^(jal|jalr|call|tail|ret|ecall|ebreak)$/) { print "call/ret/trap: " m " " ops; next }
		if (m ~ /^(s[bhwd]|c\.s[wd]|c\.sdsp|fs[wd])$/) { if (ops ~ /\(sp\)/) print "store through sp: " m " " ops; next }
		if (m ~ /^(b|j|beq|bne|blt|bge|bltu|bgeu|beqz|bnez|blez|bgez|bltz|bgtz|bgt|ble|bgtu|bleu)$/) next
		if (m == "jr") { if (n_jr++ || 0) {} ; jr_at = n; next }
		if (rd == "a0") print "writes a0 (rtld_fini): " m " " ops
		else if (rd == "sp") { if (sp++) print "sp written twice: " m " " ops; if (m != "mv") print "sp written other than by mv: " m " " ops }
		else if (rd == "ra" || rd == "s0" || rd == "fp") { if (!(m == "li" && o[2] == "0") && !(m == "mv" && o[2] == "zero")) print "ra/fp written with other than zero: " m " " ops }
		else if (rd !~ /^(t[0-6]|a[1-7])$/) print "writes " rd ", not a scratch register: " m " " ops
	}
	END {
		if (!n) print "no instructions"
		else if (jr_at != n) print "the last instruction is not jr: " last
	}' "$1"
}

if ! cross_init riscv64; then skip tramp-objdump-riscv64 "$CROSS_WHY"
elif ! cross_build; then fail tramp-objdump-riscv64 "$CROSS_WHY"
else
	$XTRIPLE-objdump -d --disassemble=ldshim_trampoline "$XLDSHIM" > "$W/tramp-riscv64.txt"
	out=$(rvcheck "$W/tramp-riscv64.txt")
	if [ -z "$out" ]; then pass tramp-objdump-riscv64
	else fail tramp-objdump-riscv64 "$out"; sed 's/^/    /' "$W/tramp-riscv64.txt"; fi
	rvcontrol() {
		printf '%s\n' "$2" > "$W/rvc.s"
		$XTRIPLE-as -o "$W/rvc.o" "$W/rvc.s" && $XTRIPLE-objdump -d "$W/rvc.o" > "$W/rvc.txt" ||
			{ fail "$1" "could not assemble the control"; return; }
		[ -n "$(rvcheck "$W/rvc.txt")" ] && pass "$1" || fail "$1" "the checker accepted: $2"
	}
	rvcontrol tramp-control-riscv64-fini 'mv a0, t1
jr t1'
	rvcontrol tramp-control-riscv64-call 'call 0
jr t1'
	rvcontrol tramp-control-riscv64-gp 'mv gp, t1
jr t1'
	rvcontrol tramp-control-riscv64-push 'addi sp, sp, -16
sd ra, 8(sp)
jr t1'
	rvcontrol tramp-control-riscv64-end 'mv t1, t2'
fi

# riscv64 has no -mgeneral-regs-only: show the shim uses no float register.
if cross_init riscv64 && [ -e "$XLDSHIM" ]; then
	# Branch targets ("fa2 <ldshim_start-0x5314>") are addresses, not
	# registers.
	out=$($XTRIPLE-objdump -d "$XLDSHIM" | awk -F'\t' 'NF >= 3 {print $3, $4}' |
		sed -E 's/[0-9a-f]+ <[^>]*>//g' |
		grep -E '^f[a-z.]+ |(^|[ ,(])f[ast][0-9]+([ ,)]|$)' | head -5)
	[ -z "$out" ] && pass no-float-registers-riscv64 || fail no-float-registers-riscv64 "float instructions in ldshim: $out"
fi
