/* riscv64 trampoline: ld.so's idea of the program's entry point.
 *
 * Entered by a `jr` from ld.so's _dl_start_user with
 *   sp = argc of the stack image ld.so ran on
 *   a0 = _dl_fini (rtld_fini), to be passed on untouched
 *   gp = whatever ld.so left; the program's _start loads its own, and we
 *        never touch it
 * It only writes scratch registers (t0..t4), zeroes ra and s0/fp, moves sp
 * at most once (to the pristine image, before filling it, so that a signal
 * cannot land on a half-built image), and leaves by `jr`: no call, no ret,
 * no stack store, so no frame of ours is ever seen. The context is found
 * pc-relative (lla = auipc/addi, not relaxed): no relocation, no gp.
 * See trampoline/context.h for the steps.
 */
#include "context.h"

	.option	norelax
	.text
	.globl	ldshim_trampoline
	.hidden	ldshim_trampoline
	.type	ldshim_trampoline, @function
ldshim_trampoline:
	.cfi_startproc
	.cfi_undefined ra
	lla	t0, ldshim_tramp_ctx
	ld	t1, CTX_ENV_SLOT(t0)
	beqz	t1, 1f
	ld	t2, CTX_ENV_VALUE(t0)
	sd	t2, 0(t1)
1:	ld	t1, CTX_ENTRY_SLOT(t0)
	ld	t2, CTX_ENTRY(t0)
	sd	t2, 0(t1)
	ld	t1, CTX_COPY_DST(t0)
	beqz	t1, 4f
	mv	sp, t1
	ld	t2, CTX_COPY_SRC(t0)
	ld	t3, CTX_COPY_HEAD(t0)
	beqz	t3, 3f
2:	ld	t4, 0(t2)
	sd	t4, 0(t1)
	addi	t2, t2, 8
	addi	t1, t1, 8
	addi	t3, t3, -1
	bnez	t3, 2b
3:	addi	t2, t2, 8
	ld	t3, CTX_COPY_TAIL(t0)
	beqz	t3, 4f
5:	ld	t4, 0(t2)
	sd	t4, 0(t1)
	addi	t2, t2, 8
	addi	t1, t1, 8
	addi	t3, t3, -1
	bnez	t3, 5b
4:	mv	ra, zero
	mv	s0, zero
	ld	t1, CTX_ENTRY(t0)
	jr	t1
	.cfi_endproc
	.size	ldshim_trampoline, . - ldshim_trampoline

	.section .note.GNU-stack, "", @progbits
