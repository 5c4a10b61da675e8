/* Reading a cache file back (--print, --check): every offset is checked
 * against the file's size and every string for its NUL before use, so a
 * truncated or hostile file gives a reason, never a bad read. The checks
 * are those of a file this tool writes: glibc's own caches (no record)
 * are refused. */
#include "ldshim-cache.h"

#include <string.h>

#define BAD(reason) do { *why = (reason); return -1; } while (0)

/* The NUL-terminated string at OFF, wholly inside [lo, hi). */
static const char *str_at(const struct view *v, uint64_t off, uint64_t lo, uint64_t hi)
{
	if (off < lo || off >= hi)
		return 0;
	const char *s = (const char *)v->p + off;
	return memchr(s, 0, hi - off) ? s : 0;
}

static uint64_t strings_lo(const struct view *v)
{
	return sizeof *v->head + (uint64_t)v->head->nlibs * sizeof *v->entries;
}

static uint64_t strings_hi(const struct view *v)
{
	return strings_lo(v) + v->head->len_strings;
}

const char *view_key(const struct view *v, size_t i)
{
	return (const char *)v->p + v->entries[i].key;
}

const char *view_value(const struct view *v, size_t i)
{
	return (const char *)v->p + v->entries[i].value;
}

/* Is PATH (LEN bytes) one of the list's directories, trailing slashes
 * of either stripped? */
static int in_list(const char *list, const char *path, size_t len)
{
	while (len > 1 && path[len - 1] == '/')
		len--;
	for (const char *p = list; ; ) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		while (n > 1 && p[n - 1] == '/')
			n--;
		if (n == len && !memcmp(p, path, n))
			return 1;
		if (!end)
			return 0;
		p = end + 1;
	}
}

static int parse_ext(struct view *v, const char **why)
{
	const struct ldcache_head *h = v->head;
	uint64_t off = h->extension_offset;
	if (off % 4 || off < strings_hi(v) || off - strings_hi(v) >= 4 ||
	    off + sizeof(struct ldcache_ext) > v->size)
		BAD("bad extension offset");
	const struct ldcache_ext *x = (const void *)(v->p + off);
	if (x->magic != LDCACHE_EXT_MAGIC)
		BAD("bad extension magic");
	const struct ldcache_ext_section *sec = (const void *)(x + 1);
	if ((uint64_t)x->count * sizeof *sec > v->size - off - sizeof *x)
		BAD("extension sections run past the end");
	const struct ldcache_ext_section *gen = 0, *rec = 0;
	for (uint32_t i = 0; i < x->count; i++) {
		if ((uint64_t)sec[i].offset + sec[i].size > v->size)
			BAD("an extension section runs past the end");
		if (sec[i].tag == LDCACHE_TAG_GENERATOR && !gen)
			gen = &sec[i];
		else if (sec[i].tag == LDCACHE_TAG_LDSHIM) {
			if (rec)
				BAD("two ldshim records");
			rec = &sec[i];
		}
	}
	if (!rec)
		BAD("no ldshim record (a cache ldshim-cache did not write)");
	if (gen) {
		v->generator = (const char *)v->p + gen->offset;
		v->generator_len = gen->size;
	}
	if (rec->offset % 8 || rec->size < sizeof *v->rec ||
	    (uint64_t)rec->offset + rec->size != v->size)
		BAD("the record is not the 8-aligned end of the file");
	v->rec = (const void *)(v->p + rec->offset);
	const struct ldcache_rec *r = v->rec;
	if (r->magic != LDCACHE_REC_MAGIC || r->version != LDCACHE_REC_VERSION)
		BAD("unknown record version");
	if (r->file_size != v->size)
		BAD("the record gives another file size (truncated or grown)");
	if ((uint64_t)r->ndirs * sizeof *v->dirs + r->path_len != rec->size - sizeof *r || !r->path_len)
		BAD("the record's sizes disagree");
	v->dirs = (const void *)(r + 1);
	v->dirlist = (const char *)(v->dirs + r->ndirs);
	const char *nul = memchr(v->dirlist, 0, r->path_len);
	if (nul != v->dirlist + r->path_len - 1)
		BAD("the directory list is not one string ending the file");
	uint32_t n = 1;
	for (const char *p = v->dirlist; *p; p++)
		n += *p == ':';
	if (n != r->ndirs || v->dirlist[0] != '/')
		BAD("the directory list does not match the record");
	if (r->nlibs != h->nlibs)
		BAD("the record and the header disagree on the number of libraries");
	v->arch = ldcache_target_by_flags(r->entry_flags);
	if (!v->arch)
		BAD("unknown entry flags in the record");
	return 0;
}

int view_parse(struct view *v, const unsigned char *p, size_t size, const char **why)
{
	memset(v, 0, sizeof *v);
	v->p = p;
	v->size = size;
	if (size < sizeof *v->head)
		BAD("too short for a cache header");
	v->head = (const void *)p;
	if (memcmp(v->head->magic, LDCACHE_MAGIC, LDCACHE_MAGIC_LEN))
		BAD("not a glibc-ld.so.cache1.1 file");
	if (v->head->flags != LDCACHE_ENDIAN_LITTLE)
		BAD("not marked little-endian");
	if ((size - sizeof *v->head) / sizeof *v->entries < v->head->nlibs)
		BAD("the entries run past the end");
	v->entries = (const void *)(p + sizeof *v->head);
	if (strings_hi(v) > size)
		BAD("the strings run past the end");
	if (parse_ext(v, why))
		return -1;
	uint64_t lo = strings_lo(v), hi = strings_hi(v);
	for (size_t i = 0; i < v->head->nlibs; i++) {
		const struct ldcache_entry *e = &v->entries[i];
		if ((uint32_t)e->flags != v->rec->entry_flags || e->osversion || e->hwcap)
			BAD("an entry with other flags, osversion or hwcap");
		const char *key = str_at(v, e->key, lo, hi), *val = str_at(v, e->value, lo, hi);
		if (!key || !val)
			BAD("an entry's string outside the string table");
		size_t klen = strlen(key), vlen = strlen(val);
		if (!klen || strchr(key, '/') || vlen <= klen || strcmp(val + vlen - klen, key) ||
		    val[vlen - klen - 1] != '/' || !in_list(v->dirlist, val, vlen - klen - 1 ? vlen - klen - 1 : 1))
			BAD("an entry's path is not DIR/NAME for a DIR of the list");
		if (i && libcmp(view_key(v, i - 1), key, v->arch->char_signed) <= 0)
			BAD("entries out of order (ld.so's search would miss some)");
	}
	return 0;
}
