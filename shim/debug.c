/* Debuggers. gdb looks for the dynamic linker's breakpoint function in the
 * file named by the program's PT_INTERP — ldshim — relocated by the
 * kernel's AT_BASE — ldshim's base. The real ld.so calls its own
 * _dl_debug_state at every change of its library list, so without help a
 * debugger never hears of them (no dlopen'ed library, no `catch load`).
 * ldshim therefore carries a _dl_debug_state, and the real ld.so's, a lone
 * `ret`, is patched at map time to jump to it. */
#include "arch.h"
#include "debug.h"
#include "elfsym.h"
#include "log.h"
#include "sys.h"

typedef ElfW(Phdr) Phdr;

/* The breakpoint site. Empty, but never merged or dropped. */
void _dl_debug_state(void) __attribute__((used, noinline));
void _dl_debug_state(void)
{
	__asm__ volatile("");
}

void debug_hook(const struct ldso *ld, uintptr_t pg)
{
	if (!ld->phdr)
		return;
	const Phdr *ph = (const Phdr *)ld->phdr, *text = 0;
	uintptr_t at = elf_symbol(ld->base, ph, ld->phnum, "_dl_debug_state",
	                          STT_FUNC, 0);
	if (!at)
		return;
	uintptr_t off = at - ld->base;
	for (uintptr_t k = 0; k < ld->phnum; k++)
		if (ph[k].p_type == PT_LOAD && (ph[k].p_flags & PF_X) &&
		    off >= ph[k].p_vaddr && off + 16 <= ph[k].p_vaddr + ph[k].p_memsz)
			text = &ph[k];
	if (!text)
		return;
	/* Make the whole text segment writable for the patch (a private
	 * mapping: the page is copied), then executable again. The whole
	 * segment, not one page: that would split the mapping in three, and
	 * /proc/self/maps would no longer look as when the kernel maps ld.so
	 * (unwinders name frames from it). */
	uintptr_t lo = (ld->base + text->p_vaddr) & ~(pg - 1);
	uintptr_t len = ((ld->base + text->p_vaddr + text->p_memsz + pg - 1) & ~(pg - 1)) - lo;
	if (sys_mprotect((void *)lo, len, PROT_READ_ | PROT_WRITE_) < 0)
		return;
	int done = arch_patch_debug_state((unsigned char *)at,
	                                  (uintptr_t)_dl_debug_state);
	if (sys_mprotect((void *)lo, len, PROT_READ_ | PROT_EXEC_) < 0) {
		/* Code that was written may not become executable again:
		 * memory-deny-write-execute (prctl PR_SET_MDWE, systemd's
		 * MemoryDenyWriteExecute=). Map the segment afresh from the
		 * file, unpatched: a new mapping is allowed. */
		long fd = sys_open(ld->path), m = -1;
		if (fd >= 0) {
			m = sys_mmap((void *)lo, len, PROT_READ_ | PROT_EXEC_,
			             MAP_PRIVATE_ | MAP_FIXED_, (int)fd,
			             text->p_offset & ~(pg - 1));
			sys_close((int)fd);
		}
		if (fd < 0 || sys_failed(m))
			die(ld->path, "cannot make its code executable again");
		say(LOG_DEBUG, "ld.so's _dl_debug_state not patched: code may not be"
		    " made executable again (memory-deny-write-execute)", (char *)0);
		return;
	}
	say(LOG_DEBUG, done ? "ld.so's _dl_debug_state now jumps to ldshim's"
	                    : "ld.so's _dl_debug_state not patched: unexpected code",
	    (char *)0);
}
