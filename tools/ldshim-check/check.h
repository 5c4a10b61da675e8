/* Checking one file: load it the way the real ld.so would behind ldshim,
 * without running anything, and say what would stop it. */
#ifndef CHECK_H
#define CHECK_H

#include "elfobj.h"

/* The options: each stands for the variable it replaces; the rest of
 * the settings come from the environment and the configuration files,
 * as ldshim reads them (settings.h). */
struct config {
	const char *mode;		/* --mode: "fallback" or "override", or 0 */
	const char *library_path;	/* --library-path: replaces the Nix library path */
	const char *arch;		/* --arch: the system to check for; 0 = this one */
	const char *ldso;		/* the real ld.so instead of NIX_LD's (checking a fix) */
	const char *cache;		/* --cache: the library cache, in place of NIX_LD_LIBRARY_CACHE* */
	int json, quiet, verbose, recursive;
};

/* What becomes of a file. */
enum status {
	ST_OK,
	ST_PROBLEMS,		/* missing libraries, versions, bad interpreter... */
	ST_NOT_DYNAMIC,
	ST_WRONG_ARCH,
	ST_NOT_ELF,		/* only reported for files named on the command line */
	ST_BAD,			/* malformed ELF */
	ST_IO,			/* can't be opened or read */
	ST_SKIP,		/* in a tree: not an ELF file, or not loadable */
};

/* Check PATH and print its report (text or one JSON object, preceded by
 * a comma unless FIRST). IN_TREE: found by -r rather than named. */
enum status check_file(const struct config *c, const char *path, int in_tree, int first);

/* Is ARCH a name --arch accepts? */
int check_arch_known(const char *arch);

/* The -r summary: which missing sonames/versions block how many files. */
void summary_print(const struct config *c, const unsigned counts[]);

#endif
