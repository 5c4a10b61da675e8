/* aarch64 entry stub of the probe (linked with -e probe_entry): records
 * sp, x0 (rtld_fini) and x29 (frame pointer) as they are at the program's
 * first instruction, then goes on to glibc's _start with a plain branch,
 * so that _start sees exactly the same state. Only x9/x10 are written. */
	.bss
	.p2align 3
	.globl	probe_entry_sp, probe_entry_fini, probe_entry_fp
probe_entry_sp:   .zero 8
probe_entry_fini: .zero 8
probe_entry_fp:   .zero 8

	.text
	.globl	probe_entry
	.type	probe_entry, %function
probe_entry:
	mov	x9, sp
	adrp	x10, probe_entry_sp
	str	x9, [x10, :lo12:probe_entry_sp]
	adrp	x10, probe_entry_fini
	str	x0, [x10, :lo12:probe_entry_fini]
	adrp	x10, probe_entry_fp
	str	x29, [x10, :lo12:probe_entry_fp]
	b	_start
	.size	probe_entry, . - probe_entry

	.section .note.GNU-stack, "", %progbits
