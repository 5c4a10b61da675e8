/* The settings a start of a file gets — the real ld.so, the Nix library
 * path, the mode, the library caches named — and where each came from,
 * worked out by the shim's own code compiled into the tool (tool.mk):
 * shim/env.c reads the environment, shim/config.c the configuration
 * files (the system file, the user's where allowed, the sections that
 * match the program by path or build-id, their precedence), as a start
 * through ldshim does. */
#ifndef SETTINGS_H
#define SETTINGS_H

#include <stddef.h>

/* What the tool's options put in place of the environment's values. */
struct settings_opts {
	const char *library_path;	/* --library-path: stands for NIX_LD_LIBRARY_PATH */
	const char *ldso;		/* a fix's ld.so: stands for NIX_LD */
	const char *mode;		/* --mode: stands for NIX_LD_MODE */
	const char *cache;		/* --cache: stands for NIX_LD_LIBRARY_CACHE */
};

/* A library cache named for the Nix path, in the shim's order. */
struct settings_cache {
	const char *file;
	const char *src;		/* "NIX_LD_LIBRARY_CACHE", "file:line", "built-in default" */
};

struct settings {
	const char *ldso, *ldso_from;	/* ldso 0: none for this system */
	const char *nix_path, *nix_path_from;	/* nix_path 0: none for this system */
	const char *global_path;	/* the Nix library path without a section's directories */
	int override;			/* override mode (else fallback) */
	const char *mode_from;
	struct settings_cache cache[8];
	size_t n_cache;
	/* The files, as `ldshim --config` reports them ("system file: ..."),
	 * and the matching sections ("matching section: [...] (file:line)"). */
	char *files[2], *sections[2];
	size_t n_sections;
	int file_present;		/* a configuration file was read or ignored */
	int modelled;			/* 0: another system than the tool's; the
					 * environment only, files not read */
	const char *not_modelled;	/* then why */
};

/* The settings for FILE of SYSTEM ("x86_64_linux") started as a program
 * (PROGRAM: 1; else a library, global settings only). Freed with
 * settings_free. */
struct settings *settings_get(const char *file, int program, const char *system,
			      const struct settings_opts *o);
void settings_free(struct settings *s);

#endif
