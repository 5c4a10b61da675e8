/* A dynamic symbol of an object already mapped in this process. */
#ifndef LDSHIM_ELFSYM_H
#define LDSHIM_ELFSYM_H

#include <stdint.h>

/* The address of the defined dynamic symbol `name` of type `type` (STT_*)
 * in the object mapped at bias `base` with program headers at `phdr`, or
 * 0, read before anything relocated the object's dynamic section (its
 * pointers are offsets from the bias). Sets *size, if given,
 * to the symbol's st_size. Nothing outside the object's PT_LOAD span is
 * read. */
uintptr_t elf_symbol(uintptr_t base, const void *phdr, uintptr_t phnum,
                     const char *name, int type, uintptr_t *size);

#endif
