/* Debuggers. gdb looks for the dynamic linker's breakpoint function in the
 * file named by the program's PT_INTERP — ldshim — relocated by the
 * kernel's AT_BASE — ldshim's base. The real ld.so calls its own
 * _dl_debug_state at every change of its library list, so without help a
 * debugger never hears of them (no dlopen'ed library, no `catch load`).
 * ldshim therefore carries a _dl_debug_state, and the real ld.so's, a lone
 * `ret`, is patched at map time to jump to it.
 *
 * Only when a debugger is there to hear: the patch costs two mprotects of
 * ld.so's code and a copied page (about 10 us a start, measured). gdb
 * puts its breakpoint into ldshim's _dl_debug_state when the program is
 * exec'ed, before the first instruction of its interpreter runs, so a
 * start under a debugger finds one there. A debugger that attaches later
 * reads the library list from r_debug as it is then, but is not told of
 * a later dlopen (tests/debug/README.md). */
#include "arch.h"
#include "debug.h"
#include "elfsym.h"
#include "log.h"
#include "sys.h"

/* In debug-site.c. Hidden, as the definition is: the compiler addresses it
 * pc-relative, not through a GOT entry that would need a relocation. */
void _dl_debug_state(void) __attribute__((visibility("hidden")));

void debug_hook(struct ldso *ld)
{
	if (!ld->phdr)
		return;
	if (!arch_breakpoint_at((const void *)_dl_debug_state)) {
		say(LOG_DEBUG, "ld.so's _dl_debug_state not patched: no debugger's breakpoint"
		    " in ldshim's", (char *)0);
		return;
	}
	uintptr_t at = elf_symbol(ld->base, (const void *)ld->phdr, ld->phnum,
	                          "_dl_debug_state", STT_FUNC, 0);
	/* elf_map left ld.so's code writable (not executable) for this; a
	 * private mapping, so the page is copied. ldso_seal makes it
	 * executable again, the whole segment in one mprotect: one page
	 * alone would split the mapping in three, and /proc/self/maps would
	 * no longer look as when the kernel maps ld.so (unwinders name
	 * frames from it). */
	if (!at || ldso_writable(ld, at, 16, LDSO_PATCH_DEBUG) < 0)
		return;
	int done = arch_patch_debug_state((unsigned char *)at,
	                                  (uintptr_t)_dl_debug_state);
	if (done)
		ld->patched |= LDSO_PATCH_DEBUG;
	say(LOG_DEBUG, done ? "ld.so's _dl_debug_state now jumps to ldshim's"
	                    : "ld.so's _dl_debug_state not patched: unexpected code",
	    (char *)0);
}
