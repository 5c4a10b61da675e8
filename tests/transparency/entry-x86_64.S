/* x86_64 entry stub of the transparency probe (linked with -e probe_entry).
 *
 * At a process's first instruction the ABI says:
 *   %rsp -> argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL
 *           16-byte aligned
 *   %rdx    rtld_fini (ld.so's _dl_fini; 0 when the kernel starts a static
 *           program), handed to __libc_start_main for atexit
 *   %rbp    0, so that unwinders stop here
 * The stub records them as probe_entry_sp, _fini and _fp (names probe.c
 * shares with every arch's stub) and goes on to glibc's _start with a jmp,
 * not a call: _start must see exactly the same state.
 */
	.bss
	.p2align 3
	.globl	probe_entry_sp, probe_entry_fini, probe_entry_fp
probe_entry_sp:  .zero 8
probe_entry_fini: .zero 8
probe_entry_fp: .zero 8

	.text
	.globl	probe_entry
	.type	probe_entry, @function
probe_entry:
	movq	%rsp, probe_entry_sp(%rip)
	movq	%rdx, probe_entry_fini(%rip)
	movq	%rbp, probe_entry_fp(%rip)
	jmp	_start
	.size	probe_entry, . - probe_entry

	.section .note.GNU-stack, "", @progbits
