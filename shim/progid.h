/* The program a start is for (progid.c): which one, as the
 * configuration's sections match it (its GNU build-id), and its own
 * DT_RUNPATH, read from memory where the kernel mapped it or from its
 * file. */
#ifndef LDSHIM_PROGID_H
#define LDSHIM_PROGID_H

#include <stddef.h>
#include "confparse.h"
#include "arch.h"
#include "elfdef.h"
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

/* A RUNPATH longer than this is read as none (run as a command). */
#define PATH_MAX_RUNPATH 4096


/* The program's DT_RUNPATH, as written, or NULL when it has none (or an
 * unreadable one): from its image in memory (interpreter mode), or from
 * the file `prog` (run as a command). */
const char *runpath_from_memory(const struct image *im);
const char *runpath_from_file(const char *prog);

#endif
