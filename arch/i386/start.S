/* i386 entry and exit of the shim.
 *
 * The kernel enters ldshim_start with the initial stack image:
 *
 *   %esp -> argc
 *           argv[0] ... argv[argc-1], NULL
 *           envp[0] ... envp[n-1], NULL
 *           auxv: (a_type, a_val) pairs ..., (AT_NULL, 0)
 *           padding, AT_RANDOM bytes, strings (argv, envp, AT_EXECFN)
 *
 * %edx is 0. ldshim_main(sp) takes its argument on the stack (cdecl) and
 * never returns; it leaves through ldshim_enter(entry, sp), which sets up
 * the same state for the real ld.so.
 */
	.text
	.globl	ldshim_start
	.hidden	ldshim_start
	.type	ldshim_start, @function
ldshim_start:
	.cfi_startproc
	.cfi_undefined eip
	xorl	%ebp, %ebp
	movl	%esp, %eax
	andl	$-16, %esp
	subl	$12, %esp       /* after the push: 16-byte aligned at the call */
	pushl	%eax
	call	ldshim_main
	hlt
	.cfi_endproc
	.size	ldshim_start, . - ldshim_start

/* void ldshim_enter(uintptr_t entry, uintptr_t *sp) */
	.globl	ldshim_enter
	.hidden	ldshim_enter
	.type	ldshim_enter, @function
ldshim_enter:
	movl	4(%esp), %eax
	movl	8(%esp), %esp
	xorl	%edx, %edx
	xorl	%ebp, %ebp
	jmp	*%eax
	.size	ldshim_enter, . - ldshim_enter

	.section .note.GNU-stack, "", @progbits
