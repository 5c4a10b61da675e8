/* Which program a start is for, as the configuration's sections match
 * it: the GNU build-id from the program's notes, read from memory where
 * the kernel mapped it or from its file. */
#ifndef LDSHIM_PROGID_H
#define LDSHIM_PROGID_H

#include <stddef.h>
#include "confparse.h"
#include "stack.h"

/* The GNU build-id in the notes at p[0..len) (alignment `align`), or NULL. */
const unsigned char *config_note_build_id(const unsigned char *p, size_t len,
                                          size_t align, size_t *id_len);

/* id's build-id from the program the kernel mapped (AT_PHDR): no file
 * is read. Left unset when there is none. */
void config_id_from_memory(struct config_id *id, const struct image *im);

/* id's build-id from the file prog (into a static buffer, valid until
 * the next call). Left unset when there is none. */
void config_id_from_file(struct config_id *id, const char *prog);

#endif
