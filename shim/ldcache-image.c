/* The cache file, laid out as ldcache.h draws it, appended piece by
 * piece. Keys share the bytes of their values ("/dir/libfoo.so.1" ends
 * with "libfoo.so.1"), as ldconfig's string table shares suffixes. */
#include "ldcache-gen.h"
#include "str.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the cache is little endian, and this writes it from memory"
#endif

#define NSECTIONS 2

static size_t align(size_t n, size_t to) { return (n + to - 1) & ~(to - 1); }

/* The sizes and offsets of the file's parts. */
struct layout {
	size_t nlibs, strings, strings_len, ext, gen, gen_len, rec, rec_len, list_len, size;
};

static void lay_out(const struct ldcache_found *f, const struct ldcache_src *dirs, size_t ndirs,
                    const char *generator, struct layout *l)
{
	const struct ldcache_lib *libs = (const struct ldcache_lib *)f->libs.base;
	l->nlibs = f->libs.len / sizeof *libs;
	l->list_len = 0;
	for (size_t i = 0; i < ndirs; i++)
		l->list_len += dirs[i].rec_len + 1;	/* ':' or the NUL */
	l->strings_len = 0;
	for (size_t i = 0; i < l->nlibs; i++)
		l->strings_len += ldcache_prefix_len(&dirs[libs[i].dir]) +
		                  str_len(f->names.base + libs[i].name) + 1;
	l->gen_len = str_len(generator);
	l->strings = sizeof(struct ldcache_head) + l->nlibs * sizeof(struct ldcache_entry);
	l->ext = align(l->strings + l->strings_len, 4);
	l->gen = l->ext + sizeof(struct ldcache_ext) + NSECTIONS * sizeof(struct ldcache_ext_section);
	l->rec = align(l->gen + l->gen_len + 1, 8);
	l->rec_len = sizeof(struct ldcache_rec) + ndirs * sizeof(struct ldcache_dir) + l->list_len;
	l->size = l->rec + l->rec_len;
}

static int put_head(const struct layout *l, struct buf *out)
{
	struct ldcache_head h = { .nlibs = (uint32_t)l->nlibs,
		.len_strings = (uint32_t)l->strings_len,	/* glibc: the string table's size */
		.flags = LDCACHE_ENDIAN_LITTLE, .extension_offset = (uint32_t)l->ext };
	mem_put(h.magic, LDCACHE_MAGIC, LDCACHE_MAGIC_LEN);
	return buf_put(out, &h, sizeof h);
}

static int put_entries(const struct ldcache_target *t, const struct ldcache_found *f,
                       const struct ldcache_src *dirs, const struct layout *l, struct buf *out)
{
	const struct ldcache_lib *libs = (const struct ldcache_lib *)f->libs.base;
	size_t at = l->strings;
	for (size_t i = 0; i < l->nlibs; i++) {
		size_t prefix = ldcache_prefix_len(&dirs[libs[i].dir]);
		struct ldcache_entry e = { (int32_t)t->cache_flags, (uint32_t)(at + prefix),
		                           (uint32_t)at, 0, 0 };
		at += prefix + str_len(f->names.base + libs[i].name) + 1;
		if (buf_put(out, &e, sizeof e))
			return -1;
	}
	return 0;
}

/* Each library's path: its directory as recorded, trailing slashes
 * stripped, "/", its name. */
static int put_strings(const struct ldcache_found *f, const struct ldcache_src *dirs,
                       const struct layout *l, struct buf *out)
{
	const struct ldcache_lib *libs = (const struct ldcache_lib *)f->libs.base;
	for (size_t i = 0; i < l->nlibs; i++) {
		const struct ldcache_src *d = &dirs[libs[i].dir];
		const char *name = f->names.base + libs[i].name;
		if (buf_put(out, d->rec, ldcache_prefix_len(d) - 1) || buf_put(out, "/", 1) ||
		    buf_put(out, name, str_len(name) + 1))
			return -1;
	}
	return buf_pad(out, 4);
}

/* The extension directory, the generator (glibc's section excludes its
 * NUL; ldconfig -p prints it) and ldshim's record. */
static int put_ext(const struct ldcache_target *t, const struct ldcache_src *dirs, size_t ndirs,
                   const char *generator, const struct layout *l, struct buf *out)
{
	struct ldcache_ext x = { LDCACHE_EXT_MAGIC, NSECTIONS };
	struct ldcache_ext_section sec[NSECTIONS] = {
		{ LDCACHE_TAG_GENERATOR, 0, (uint32_t)l->gen, (uint32_t)l->gen_len },
		{ LDCACHE_TAG_LDSHIM, 0, (uint32_t)l->rec, (uint32_t)l->rec_len },
	};
	struct ldcache_rec r = { LDCACHE_REC_MAGIC, LDCACHE_REC_VERSION, (uint32_t)ndirs,
		(uint32_t)l->list_len, l->size, t->cache_flags, (uint32_t)l->nlibs };
	if (buf_put(out, &x, sizeof x) || buf_put(out, sec, sizeof sec) ||
	    buf_put(out, generator, l->gen_len + 1) || buf_pad(out, 8) || buf_put(out, &r, sizeof r))
		return -1;
	for (size_t i = 0; i < ndirs; i++)
		if (buf_put(out, &dirs[i].st, sizeof dirs[i].st))
			return -1;
	for (size_t i = 0; i < ndirs; i++)
		if (buf_put(out, dirs[i].rec, dirs[i].rec_len) || buf_put(out, i + 1 < ndirs ? ":" : "", 1))
			return -1;
	return 0;
}

static size_t problem(const struct ldcache_report *r, enum ldcache_event ev)
{
	struct ldcache_note n = { ev, 0, 0, 0, 0, 0 };
	r->note(r->ctx, &n);
	return 1;
}

size_t ldcache_image(const struct ldcache_target *t, const struct ldcache_found *f,
                     const struct ldcache_src *dirs, size_t ndirs, const char *generator,
                     const struct ldcache_report *r, struct buf *out)
{
	struct layout l;
	lay_out(f, dirs, ndirs, generator, &l);
	if (l.size > 0xffffffffu)
		return problem(r, LDCACHE_TOO_BIG);
	if (buf_need(out, l.size) || put_head(&l, out) || put_entries(t, f, dirs, &l, out) ||
	    put_strings(f, dirs, &l, out) || put_ext(t, dirs, ndirs, generator, &l, out))
		return problem(r, LDCACHE_NO_MEMORY);
	return 0;
}

size_t ldcache_generate(const struct ldcache_target *t, const struct ldcache_src *dirs,
                        size_t ndirs, const char *generator, const struct ldcache_report *r,
                        struct buf *out, struct ldcache_stats *stats)
{
	struct ldcache_stats own = { 0, 0, 0, 0, 0 };
	struct ldcache_found f = { { 0, 0, 0 }, { 0, 0, 0 } };
	size_t problems = ldcache_scan(t, dirs, ndirs, r, &f, stats ? stats : &own);
	if (!problems)
		problems = ldcache_sort(t, dirs, &f, r);
	if (!problems)
		problems = ldcache_image(t, &f, dirs, ndirs, generator, r, out);
	buf_free(&f.libs);
	buf_free(&f.names);
	return problems;
}
