/* riscv64 entry and exit of the shim.
 *
 * The kernel enters ldshim_start with the initial stack image:
 *
 *   sp -> argc
 *         argv[0] ... argv[argc-1], NULL
 *         envp[0] ... envp[n-1], NULL
 *         auxv: (a_type, a_val) pairs ..., (AT_NULL, 0)
 *         padding, AT_RANDOM bytes, strings (argv, envp, AT_EXECFN)
 *
 * sp is 16-byte aligned, a0 is 0. The shim never sets gp: it is built
 * without relaxation, so no code of it addresses data through gp.
 * ldshim_main(sp) never returns; it leaves through ldshim_enter(entry, sp),
 * which sets up the same state for the real ld.so.
 */
	.option	norelax
	.text
	.globl	ldshim_start
	.hidden	ldshim_start
	.type	ldshim_start, @function
ldshim_start:
	.cfi_startproc
	.cfi_undefined ra
	mv	s0, zero
	mv	a0, sp
	andi	sp, sp, -16
	call	ldshim_main
	unimp
	.cfi_endproc
	.size	ldshim_start, . - ldshim_start

/* void ldshim_enter(uintptr_t entry, uintptr_t *sp)
 * a0 is 0 at ld.so's entry, as the kernel leaves it. */
	.globl	ldshim_enter
	.hidden	ldshim_enter
	.type	ldshim_enter, @function
ldshim_enter:
	mv	sp, a1
	mv	t0, a0
	mv	a0, zero
	mv	ra, zero
	mv	s0, zero
	jr	t0
	.size	ldshim_enter, . - ldshim_enter

	.section .note.GNU-stack, "", @progbits
