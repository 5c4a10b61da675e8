/* libunwctor.so.1: unwinds from its constructor, which ld.so runs before
 * it jumps to AT_ENTRY (the trampoline, through ldshim). */
#include "walk.h"

__attribute__((constructor)) static void unwctor(void)
{
	walk("constructor");
}
