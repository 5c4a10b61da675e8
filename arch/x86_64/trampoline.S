/* x86_64 trampoline: ld.so's idea of the program's entry point.
 *
 * Entered by a jmp from ld.so's _dl_start_user with
 *   %rsp = argc of the stack image ld.so ran on
 *   %rdx = _dl_fini (rtld_fini), to be passed on untouched
 * It only writes scratch registers (%rax %rcx %rsi %rdi, flags), zeroes
 * %rbp, moves %rsp at most once (to the pristine image, before filling it,
 * so that a signal cannot land on a half-built image), and leaves by an
 * indirect jmp: no call, push or ret, so no frame of ours is ever seen.
 * See trampoline/context.h for the steps.
 */
#include "context.h"

	.text
	.globl	ldshim_trampoline
	.hidden	ldshim_trampoline
	.type	ldshim_trampoline, @function
ldshim_trampoline:
	.cfi_startproc
	.cfi_undefined rip
	leaq	ldshim_tramp_ctx(%rip), %rax
	movq	CTX_ENV_SLOT(%rax), %rdi
	testq	%rdi, %rdi
	jz	1f
	movq	CTX_ENV_VALUE(%rax), %rsi
	movq	%rsi, (%rdi)
1:	movq	CTX_ENTRY_SLOT(%rax), %rdi
	movq	CTX_ENTRY(%rax), %rsi
	movq	%rsi, (%rdi)
	movq	CTX_COPY_DST(%rax), %rdi
	testq	%rdi, %rdi
	jz	2f
	movq	%rdi, %rsp
	movq	CTX_COPY_SRC(%rax), %rsi
	movq	CTX_COPY_HEAD(%rax), %rcx
	rep movsq
	addq	$8, %rsi
	movq	CTX_COPY_TAIL(%rax), %rcx
	rep movsq
2:	xorl	%ebp, %ebp
	jmp	*CTX_ENTRY(%rax)
	.cfi_endproc
	.size	ldshim_trampoline, . - ldshim_trampoline

	.section .note.GNU-stack, "", @progbits
