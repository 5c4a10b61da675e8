/* i386 entry stub of the probe (linked with -e probe_entry): records
 * %esp, %edx (rtld_fini) and %ebp (frame pointer) as they are at the
 * program's first instruction, then goes on to glibc's _start with a jmp,
 * so that _start sees exactly the same state. Without pc-relative data
 * addressing the stub finds its data the way the trampoline finds its
 * context: AT_ENTRY (= probe_entry) in the auxv above %esp, plus a
 * link-time distance. Only %eax and %ecx are written (and flags); glibc's
 * _start does not read them. */
	.bss
	.p2align 2
	.globl	probe_entry_sp, probe_entry_fini, probe_entry_fp
probe_entry_sp:   .zero 4
probe_entry_fini: .zero 4
probe_entry_fp:   .zero 4

	.text
	.globl	probe_entry
	.type	probe_entry, @function
probe_entry:
	movl	(%esp), %ecx
	leal	8(%esp,%ecx,4), %eax
1:	movl	(%eax), %ecx
	addl	$4, %eax
	testl	%ecx, %ecx
	jnz	1b
2:	movl	(%eax), %ecx
	addl	$8, %eax
	cmpl	$9, %ecx
	jne	2b
	movl	-4(%eax), %eax
	leal	probe_entry_sp - probe_entry(%eax), %ecx
	movl	%esp, (%ecx)
	leal	probe_entry_fini - probe_entry(%eax), %ecx
	movl	%edx, (%ecx)
	leal	probe_entry_fp - probe_entry(%eax), %ecx
	movl	%ebp, (%ecx)
	jmp	_start
	.size	probe_entry, . - probe_entry

	.section .note.GNU-stack, "", @progbits
