/* The cache file, laid out as shim/ldcache.h draws it. Keys share the
 * bytes of their values ("/dir/libfoo.so.1" ends with "libfoo.so.1"), as
 * ldconfig's string table shares suffixes. */
#include "ldshim-cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the cache is little endian, and this writes it from memory"
#endif

static size_t align(size_t n, size_t to) { return (n + to - 1) & ~(to - 1); }

unsigned char *cache_image(const struct arch *a, const struct lib *libs, size_t nlibs,
			   const struct dir *dirs, size_t ndirs, const char *generator,
			   size_t *size)
{
	size_t list_len = 0;
	for (size_t i = 0; i < ndirs; i++)
		list_len += strlen(dirs[i].rec) + 1;	/* ':' or the NUL */
	size_t strings_len = 0;
	for (size_t i = 0; i < nlibs; i++)
		strings_len += strlen(libs[i].path) + 1;
	size_t gen_len = strlen(generator);

	size_t off_entries = sizeof(struct ldcache_head);
	size_t off_strings = off_entries + nlibs * sizeof(struct ldcache_entry);
	size_t off_ext = align(off_strings + strings_len, 4);
	size_t off_gen = off_ext + sizeof(struct ldcache_ext) + 2 * sizeof(struct ldcache_ext_section);
	size_t off_rec = align(off_gen + gen_len + 1, 8);
	size_t rec_len = sizeof(struct ldcache_rec) + ndirs * sizeof(struct ldcache_dir) + list_len;
	*size = off_rec + rec_len;
	if (*size > UINT32_MAX) {
		fputs("ldshim-cache: too many libraries: the cache would pass 4 GiB\n", stderr);
		return 0;
	}
	unsigned char *p = calloc(1, *size);
	if (!p) {
		fputs("ldshim-cache: out of memory\n", stderr);
		return 0;
	}

	struct ldcache_head *h = (void *)p;
	memcpy(h->magic, LDCACHE_MAGIC, LDCACHE_MAGIC_LEN);
	h->nlibs = (uint32_t)nlibs;
	h->len_strings = (uint32_t)strings_len;	/* glibc: the string table's size */
	h->flags = LDCACHE_ENDIAN_LITTLE;
	h->extension_offset = (uint32_t)off_ext;

	struct ldcache_entry *e = (void *)(p + off_entries);
	size_t at = off_strings;
	for (size_t i = 0; i < nlibs; i++) {
		size_t len = strlen(libs[i].path);
		memcpy(p + at, libs[i].path, len + 1);
		e[i].flags = (int32_t)a->cache_flags;
		e[i].value = (uint32_t)at;
		e[i].key = (uint32_t)(at + (size_t)(libs[i].name - libs[i].path));
		at += len + 1;
	}

	struct ldcache_ext *x = (void *)(p + off_ext);
	struct ldcache_ext_section *sec = (void *)(x + 1);
	x->magic = LDCACHE_EXT_MAGIC;
	x->count = 2;
	/* ldconfig -p prints the generator section; glibc's excludes the NUL. */
	sec[0] = (struct ldcache_ext_section){ LDCACHE_TAG_GENERATOR, 0, (uint32_t)off_gen, (uint32_t)gen_len };
	sec[1] = (struct ldcache_ext_section){ LDCACHE_TAG_LDSHIM, 0, (uint32_t)off_rec, (uint32_t)rec_len };
	memcpy(p + off_gen, generator, gen_len + 1);

	struct ldcache_rec *r = (void *)(p + off_rec);
	r->magic = LDCACHE_REC_MAGIC;
	r->version = LDCACHE_REC_VERSION;
	r->ndirs = (uint32_t)ndirs;
	r->path_len = (uint32_t)list_len;
	r->file_size = *size;
	r->entry_flags = a->cache_flags;
	r->nlibs = (uint32_t)nlibs;
	struct ldcache_dir *d = (void *)(r + 1);
	char *list = (char *)(d + ndirs);
	for (size_t i = 0; i < ndirs; i++) {
		d[i] = dirs[i].st;
		size_t len = strlen(dirs[i].rec);
		memcpy(list, dirs[i].rec, len);
		list[len] = i + 1 < ndirs ? ':' : 0;
		list += len + 1;
	}
	return p;
}
