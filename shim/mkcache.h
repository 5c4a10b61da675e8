/* Writing a library cache from the shim (mkcache.c). */
#ifndef LDSHIM_MKCACHE_H
#define LDSHIM_MKCACHE_H

/* Write the cache for the ':'-separated directory list `path` at `file`
 * (through a temporary file in the same directory, then a rename). NULL
 * when written, else why not: then nothing is left behind. */
const char *mkcache_write(const char *file, const char *path);

#endif
