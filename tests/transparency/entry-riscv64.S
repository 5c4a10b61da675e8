/* riscv64 entry stub of the probe (linked with -e probe_entry): records
 * sp, a0 (rtld_fini) and s0 (frame pointer) as they are at the program's
 * first instruction, then goes on to glibc's _start with a plain jump,
 * so that _start sees exactly the same state. Only t0 is written. */
	.bss
	.p2align 3
	.globl	probe_entry_sp, probe_entry_fini, probe_entry_fp
probe_entry_sp:   .zero 8
probe_entry_fini: .zero 8
probe_entry_fp:   .zero 8

	.option	norelax
	.text
	.globl	probe_entry
	.type	probe_entry, @function
probe_entry:
	lla	t0, probe_entry_sp
	sd	sp, 0(t0)
	lla	t0, probe_entry_fini
	sd	a0, 0(t0)
	lla	t0, probe_entry_fp
	sd	s0, 0(t0)
	j	_start
	.size	probe_entry, . - probe_entry

	.section .note.GNU-stack, "", @progbits
