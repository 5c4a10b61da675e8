/* Writing a library cache from the shim (mkcache.c). */
#ifndef LDSHIM_MKCACHE_H
#define LDSHIM_MKCACHE_H

/* Write the cache for the ':'-separated directory list `path` at `file`
 * (through a temporary file in the same directory, then a rename). NULL
 * when written, else why not: then nothing is left behind. */
const char *mkcache_write(const char *file, const char *path);
/* The same, `file` relative to the directory dirfd (an O_PATH one will
 * do): the temporary file, the rename and any clean-up stay in it.
 * *refused: the directory list cannot have a cache at all (no file was
 * made), as opposed to this place not taking one. */
const char *mkcache_write_at(int dirfd, const char *file, const char *path,
                             int *refused);

#endif
