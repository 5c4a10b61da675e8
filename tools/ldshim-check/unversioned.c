/* How ld.so binds the symbols of a version needed from a library that
 * defines none (unversioned.h): one rule, used by the check of a file
 * (check.c) and by the judging of store candidates (store.c). */
#include "unversioned.h"

#include <elf.h>
#include <string.h>

/* The first definition of NAME in the global scope (SCOPE, the loaded
 * objects in load order) that ld.so's check_match accepts for version V
 * needed from PROVIDER: -1 none, 0 one, 1 the assertion fails first. */
static int bind_versioned(const struct elfobj *const *scope, size_t n, const char *name,
			  const struct vneed *v, const struct elfobj *provider)
{
	for (size_t m = 0; m < n; m++) {
		const struct elfobj *o = scope[m];
		struct elfsym s;
		for (uint64_t i = 1; i < o->nsyms; i++) {
			if (!elfobj_symbol(o, i, &s) || !s.defined || strcmp(s.name, name) ||
			    (s.bind != STB_GLOBAL && s.bind != STB_WEAK && s.bind != STB_GNU_UNIQUE))
				continue;
			/* No version table at all: ld.so asserts that this is not
			 * the object the need names, then takes the symbol. */
			if (o->versym == (uint64_t)-1)
				return o == provider ? 1 : 0;
			/* Else the version wanted, or a base definition not hidden. */
			const char *vn = elfobj_version_name(o, s.version);
			if (vn ? !strcmp(vn, v->name) : !(s.version & 0x8000))
				return 0;
		}
	}
	return -1;
}

/* A version needed from a library that defines none: ld.so (dl-version.c)
 * only warns "no version information available", then binds each symbol
 * of that version by bind_versioned (unversioned.h). */
enum unversioned unversioned_binding(const struct elfobj *needer, const struct vneed *v,
				     const struct elfobj *const *scope, size_t n,
				     const struct elfobj *provider, const char **sym)
{
	struct elfsym s;
	if (needer->versym == (uint64_t)-1)
		return UNV_NONE;
	for (uint64_t i = 1; i < needer->nsyms; i++) {
		if (!elfobj_symbol(needer, i, &s) || s.defined || (s.version & 0x7fff) != v->index)
			continue;
		int b = bind_versioned(scope, n, s.name, v, provider);
		if (b > 0 || (b < 0 && s.bind != STB_WEAK)) {
			*sym = s.name;
			return b > 0 ? UNV_ABORT : UNV_UNDEFINED;
		}
	}
	return UNV_NONE;
}
