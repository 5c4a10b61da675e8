/* aarch64 trampoline: ld.so's idea of the program's entry point.
 *
 * Entered by a `br` from ld.so's _dl_start_user with
 *   sp = argc of the stack image ld.so ran on
 *   x0 = _dl_fini (rtld_fini), to be passed on untouched
 * It only writes scratch registers (x9..x13, x16, flags), zeroes x29 and
 * x30, moves sp at most once (to the pristine image, before filling it,
 * so that a signal cannot land on a half-built image), and leaves by
 * `br x16`: no bl, ret or stack store, so no frame of ours is ever seen.
 * The context is found pc-relative (adrp/add): no relocation.
 * See trampoline/context.h for the steps.
 */
#include "context.h"

	.text
	.globl	ldshim_trampoline
	.hidden	ldshim_trampoline
	.type	ldshim_trampoline, %function
ldshim_trampoline:
	.cfi_startproc
	.cfi_undefined x30
	adrp	x9, ldshim_tramp_ctx
	add	x9, x9, :lo12:ldshim_tramp_ctx
	ldr	x10, [x9, #CTX_ENV_SLOT]
	cbz	x10, 1f
	ldr	x11, [x9, #CTX_ENV_VALUE]
	str	x11, [x10]
1:	ldr	x10, [x9, #CTX_ENTRY_SLOT]
	ldr	x11, [x9, #CTX_ENTRY]
	str	x11, [x10]
	ldr	x10, [x9, #CTX_COPY_DST]
	cbz	x10, 4f
	mov	sp, x10
	ldr	x11, [x9, #CTX_COPY_SRC]
	ldr	x12, [x9, #CTX_COPY_HEAD]
	cbz	x12, 3f
2:	ldr	x13, [x11], #8
	str	x13, [x10], #8
	subs	x12, x12, #1
	b.ne	2b
3:	add	x11, x11, #8
	ldr	x12, [x9, #CTX_COPY_TAIL]
	cbz	x12, 4f
5:	ldr	x13, [x11], #8
	str	x13, [x10], #8
	subs	x12, x12, #1
	b.ne	5b
4:	mov	x29, xzr
	mov	x30, xzr
	ldr	x16, [x9, #CTX_ENTRY]
	br	x16
	.cfi_endproc
	.size	ldshim_trampoline, . - ldshim_trampoline

	.section .note.GNU-stack, "", %progbits
