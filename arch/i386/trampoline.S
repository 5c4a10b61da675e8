/* i386 trampoline: ld.so's idea of the program's entry point.
 *
 * Entered by a jmp from ld.so's _dl_start_user with
 *   %esp = argc of the stack image ld.so ran on
 *   %edx = _dl_fini (rtld_fini), to be passed on untouched
 * It only writes scratch registers (%eax %ecx %esi %edi, flags), zeroes
 * %ebp, moves %esp at most once (to the pristine image, before filling
 * it, so that a signal cannot land on a half-built image), and leaves by
 * an indirect jmp: no call, push or ret, so no frame of ours is ever seen.
 * See trampoline/context.h for the steps.
 *
 * Finding the context. i386 has no pc-relative data addressing, and the
 * usual ways to learn the pc (call/pop, a get_pc_thunk) push on the
 * program's stack. %ebx is not a GOT pointer on entry either: ld.so leaves
 * its own there. What is known for certain is the address we were entered
 * at: ld.so jumps to AT_ENTRY, which the shim set to ldshim_trampoline,
 * and %esp points at the image whose auxv holds it. (glibc's
 * _dl_start_user also happens to jump through %edi, but that is an
 * implementation detail, not a contract.) So: walk argv and envp to the
 * auxv, take AT_ENTRY's value, and add the link-time distance from the
 * trampoline to the context, a constant the linker resolves (pc-relative
 * reloc, no dynamic relocation). The walk reads only; AT_ENTRY is always
 * there, as ld.so itself needed it to get here.
 */
#include "context.h"

#define AT_ENTRY_ 9

	.text
	.globl	ldshim_trampoline
	.hidden	ldshim_trampoline
	.type	ldshim_trampoline, @function
ldshim_trampoline:
	.cfi_startproc
	.cfi_undefined eip
	movl	(%esp), %ecx
	leal	8(%esp,%ecx,4), %eax    /* envp: past argc, argv[], NULL */
1:	movl	(%eax), %ecx
	addl	$4, %eax
	testl	%ecx, %ecx
	jnz	1b                      /* %eax: auxv */
2:	movl	(%eax), %ecx
	addl	$8, %eax
	cmpl	$AT_ENTRY_, %ecx
	je	3f
	testl	%ecx, %ecx
	jnz	2b
	hlt                             /* no AT_ENTRY: cannot happen */
3:	movl	-4(%eax), %eax          /* = ldshim_trampoline */
	leal	ldshim_tramp_ctx - ldshim_trampoline(%eax), %eax
	movl	CTX_ENV_SLOT(%eax), %edi
	testl	%edi, %edi
	jz	4f
	movl	CTX_ENV_VALUE(%eax), %esi
	movl	%esi, (%edi)
4:	movl	CTX_ENTRY_SLOT(%eax), %edi
	movl	CTX_ENTRY(%eax), %esi
	movl	%esi, (%edi)
	movl	CTX_COPY_DST(%eax), %edi
	testl	%edi, %edi
	jz	5f
	movl	%edi, %esp
	movl	CTX_COPY_SRC(%eax), %esi
	movl	CTX_COPY_HEAD(%eax), %ecx
	cld
	rep movsl
	addl	$4, %esi
	movl	CTX_COPY_TAIL(%eax), %ecx
	rep movsl
5:	xorl	%ebp, %ebp
	jmp	*CTX_ENTRY(%eax)
	.cfi_endproc
	.size	ldshim_trampoline, . - ldshim_trampoline

	.section .note.GNU-stack, "", @progbits
