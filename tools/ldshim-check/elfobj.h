/* One ELF file as ldshim-check sees it: what ld.so reads from it to load
 * it (program headers, the dynamic section, version tables), parsed once
 * with every offset checked against the file's size. */
#ifndef ELFOBJ_H
#define ELFOBJ_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A version a file needs (.gnu.version_r): from which soname, which name. */
struct vneed {
	const char *file;
	const char *name;
	uint16_t index;		/* the .gnu.version value of the symbols needing it */
	int weak;
};

struct elfobj {
	const char *path;	/* the first path it was opened by */
	const char *error;	/* why it can't be used: "not an ELF file"...; 0 if fine */
	int io_error;		/* error is an open/read failure, not bad contents */
	dev_t dev;
	ino_t ino;

	unsigned char cls;	/* ELFCLASS32 / ELFCLASS64 */
	unsigned char data;	/* ELFDATA2LSB / ELFDATA2MSB */
	uint16_t type, machine;
	int dynamic;		/* has PT_DYNAMIC and is not a static-pie */
	const char *interp;	/* PT_INTERP, or 0 */
	const char *soname, *rpath, *runpath;
	const char **needed;
	size_t n_needed;
	const char **verdefs;	/* versions it defines, without the base entry */
	uint16_t *verdef_index;	/* their .gnu.version values */
	size_t n_verdefs;
	struct vneed *vneeds;
	size_t n_vneeds;

	/* Thread-local storage (PT_TLS), as ld.so sizes the block: 0 sizes
	 * when there is none. static_tls: DT_FLAGS has DF_STATIC_TLS (the
	 * file uses the initial-exec model, so ld.so must place its block in
	 * the static TLS area when it relocates it). */
	uint64_t tls_memsz, tls_align, tls_vaddr;
	int static_tls;

	/* For listing the symbols that need a version, read on demand. */
	const unsigned char *map;
	size_t size;
	uint64_t symtab, strtab, strsz, versym, nsyms;	/* versym: -1 if none */
	size_t syment;
};

/* The object at PATH: parsed on first use, then cached by path and by
 * (device, inode). Returns 0 if the path can't be opened (errno set);
 * otherwise an object whose `error` tells whether it is usable. */
struct elfobj *elfobj_get(const char *path);

/* Names of the symbols of O whose .gnu.version is INDEX (at most MAX of
 * them), in .dynsym order; returns how many there are in total. */
size_t elfobj_symbols_of_version(const struct elfobj *o, uint16_t index,
				 const char **out, size_t max);

/* A .dynsym entry as ld.so's symbol lookup sees it. */
struct elfsym {
	const char *name;
	uint16_t version;	/* its .gnu.version value; 0 without that table */
	unsigned char bind;	/* STB_* */
	int defined;		/* a definition ld.so binds to (check_match) */
};

/* Entry I (1 <= I < o->nsyms) of O's .dynsym; 0 if it can't be read. */
int elfobj_symbol(const struct elfobj *o, uint64_t i, struct elfsym *s);

/* The name of the version O defines with .gnu.version value INDEX, or 0. */
const char *elfobj_version_name(const struct elfobj *o, uint16_t index);

const char *elf_machine_name(const struct elfobj *o);

#endif
