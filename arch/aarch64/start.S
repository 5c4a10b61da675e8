/* aarch64 entry and exit of the shim.
 *
 * The kernel enters ldshim_start with the initial stack image:
 *
 *   sp -> argc
 *         argv[0] ... argv[argc-1], NULL
 *         envp[0] ... envp[n-1], NULL
 *         auxv: (a_type, a_val) pairs ..., (AT_NULL, 0)
 *         padding, AT_RANDOM bytes, strings (argv, envp, AT_EXECFN)
 *
 * sp is 16-byte aligned, x0 is 0. ldshim_main(sp) never returns; it leaves
 * through ldshim_enter(entry, sp), which sets up the same state for the
 * real ld.so.
 */
	.text
	.globl	ldshim_start
	.hidden	ldshim_start
	.type	ldshim_start, %function
ldshim_start:
	.cfi_startproc
	.cfi_undefined x30
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, sp
	bl	ldshim_main
	udf	#0
	.cfi_endproc
	.size	ldshim_start, . - ldshim_start

/* void ldshim_enter(uintptr_t entry, uintptr_t *sp)
 * x0 is 0 at ld.so's entry, as the kernel leaves it. */
	.globl	ldshim_enter
	.hidden	ldshim_enter
	.type	ldshim_enter, %function
ldshim_enter:
	mov	sp, x1
	mov	x16, x0
	mov	x0, xzr
	mov	x29, xzr
	mov	x30, xzr
	br	x16
	.size	ldshim_enter, . - ldshim_enter

	.section .note.GNU-stack, "", %progbits
