/* x86_64 entry and exit of the shim.
 *
 * The kernel enters ldshim_start with the initial stack image:
 *
 *   %rsp -> argc
 *           argv[0] ... argv[argc-1], NULL
 *           envp[0] ... envp[n-1], NULL
 *           auxv: (a_type, a_val) pairs ..., (AT_NULL, 0)
 *           padding, AT_RANDOM bytes, strings (argv, envp, AT_EXECFN)
 *
 * All other registers are zero. ldshim_main(sp) never returns; it leaves
 * through ldshim_enter(entry, sp), which sets up the same state for the
 * real ld.so.
 */
	.text
	.globl	ldshim_start
	.hidden	ldshim_start
	.type	ldshim_start, @function
ldshim_start:
	.cfi_startproc
	.cfi_undefined rip
	xorl	%ebp, %ebp
	movq	%rsp, %rdi
	andq	$-16, %rsp
	call	ldshim_main
	hlt
	.cfi_endproc
	.size	ldshim_start, . - ldshim_start

/* void ldshim_enter(uintptr_t entry, uintptr_t *sp) */
	.globl	ldshim_enter
	.hidden	ldshim_enter
	.type	ldshim_enter, @function
ldshim_enter:
	movq	%rsi, %rsp
	xorl	%edx, %edx
	xorl	%ebp, %ebp
	jmp	*%rdi
	.size	ldshim_enter, . - ldshim_enter

	.section .note.GNU-stack, "", @progbits
