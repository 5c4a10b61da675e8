/* The settings of a start, by the shim's own code (settings.h). The
 * shim reads its environment and auxiliary vector from the stack image;
 * here an image is made of the tool's environment, its uid as AT_UID,
 * and AT_SECURE 0 (secure execution is not modelled). The program is
 * identified as the kernel's start would have it: its real path (what
 * /proc/self/exe says), the name as given when absolute (AT_EXECFN), and
 * the build-id in its notes. */
#define _GNU_SOURCE
#include "settings.h"
#include "sysconf.h"
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "config.h"
#include "env.h"
#include "progid.h"
#include "stack.h"

extern char **environ;

static char *dup0(const char *s)
{
	return s ? xstrdup(s) : 0;
}

static char *cat3(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
	char *s = xmalloc(n);
	snprintf(s, n, "%s%s%s", a, b, c);
	return s;
}

/* An image of this process as the shim would see its start. */
static void image_of_tool(struct image *im, uintptr_t auxv[6])
{
	static char *no_args[] = { 0 };
	long n = 0;
	while (environ && environ[n])
		n++;
	auxv[0] = AT_UID, auxv[1] = (uintptr_t)getuid();
	auxv[2] = AT_SECURE, auxv[3] = 0;
	auxv[4] = AT_NULL, auxv[5] = 0;
	*im = (struct image){ .sp = 0, .argc = 0, .argv = no_args,
			      .envp = environ ? environ : no_args, .envc = n,
			      .auxv = auxv, .auxc = 3 };
}

/* The options stand for the variables they replace. */
static void apply_opts(struct env_plan *p, const struct settings_opts *o)
{
	if (o->library_path) {
		p->nix_path = o->library_path;
		p->nix_path_from = "--library-path";
	}
	if (o->ldso) {
		p->ldso = o->ldso;
		p->ldso_from = "NIX_LD";
	}
	if (o->mode)
		p->mode = o->mode;
	if (o->cache) {
		p->ncache = 0;
		plan_add_cache(p, o->cache, "--cache", 0);
	}
}

static void identify(struct config_id *id, const char *file, char *real)
{
	*id = (struct config_id){ 0, 0, 0, 0 };
	config_id_from_file(id, file);
	if (realpath(file, real))
		id->path = real;
	if (file[0] == '/' && (!id->path || strcmp(file, id->path)))
		id->path2 = file;
}

static char *file_line(const struct config_file *f)
{
	char errs[96] = "";
	if (f->state == CONFIG_READ && f->c.errors)
		snprintf(errs, sizeof errs, ", %u line(s) skipped (NIX_LD_LOG=warn shows them)",
			 f->c.errors);
	const char *why = f->state == CONFIG_IGNORED ? f->why : "";
	char *a = cat3(f->name ? f->name : "", config_state_text(f), why);
	char *s = cat3(a, errs, "");
	free(a);
	return s;
}

static void keep_files(struct settings *s)
{
	const struct config_file *fs[2] = { config_system_file(), config_user_file() };
	for (int i = 0; i < 2; i++) {
		s->files[i] = file_line(fs[i]);
		s->file_present |= fs[i]->state == CONFIG_READ || fs[i]->state == CONFIG_IGNORED;
	}
	/* The user's first, as ldshim --config lists them. */
	for (int i = 1; i >= 0; i--) {
		const struct config_file *f = fs[i];
		if (f->state != CONFIG_READ || !f->c.match.v)
			continue;
		char line[32];
		snprintf(line, sizeof line, ":%u)", f->c.match.line);
		char *a = cat3(f->c.match.v, "] (", f->name);
		s->sections[s->n_sections++] = cat3(a, line, "");
		free(a);
	}
}

static void keep_plan(struct settings *s, const struct env_plan *p)
{
	s->ldso = dup0(p->ldso);
	s->ldso_from = dup0(p->ldso_from);
	s->nix_path = dup0(p->nix_path);
	s->nix_path_from = dup0(p->nix_path_from);
	s->override = p->mode && !strcmp(p->mode, "override");
	for (unsigned i = 0; i < p->ncache && i < sizeof s->cache / sizeof *s->cache; i++) {
		char line[32] = "";
		if (p->cache[i].line)
			snprintf(line, sizeof line, ":%u", p->cache[i].line);
		s->cache[s->n_cache].file = xstrdup(p->cache[i].file);
		s->cache[s->n_cache++].src = cat3(p->cache[i].src, line, "");
	}
}

/* The shim's own reading, for the system it was built for. */
static void shim_settings(struct settings *s, const char *file, int program,
			  const struct settings_opts *o)
{
	struct image im;
	uintptr_t auxv[6];
	struct env_plan p;
	struct config_id id = { 0, 0, 0, 0 };
	char real[PATH_MAX];
	image_of_tool(&im, auxv);
	env_scan(&p, &im, 0);
	apply_opts(&p, o);
	/* The program is identified only for a file that may name it (the
	 * user's is read only where the system file allows it), as the shim
	 * identifies it only once a file is read. */
	if (program && access(check_system_config, F_OK) == 0)
		identify(&id, file, real);
	config_apply_id(&p, &im, &id);
	keep_plan(s, &p);
	s->mode_from = xstrdup(o->mode ? "--mode" : config_mode_from());
	keep_files(s);
	s->global_path = s->nix_path;
	if (!s->n_sections)
		return;
	/* What the Nix path is without the sections' directories: where a
	 * fix's directories go (the sections' still come first). */
	env_scan(&p, &im, 0);
	apply_opts(&p, o);
	id = (struct config_id){ 0, 0, 0, 0 };
	config_apply_id(&p, &im, &id);
	s->global_path = dup0(p.nix_path);
}

/* BASE_<system>, else BASE, if set and not empty. */
static const char *getenv_sys(const char *base, const char *system, const char **from)
{
	static char name[64];
	snprintf(name, sizeof name, "%s_%s", base, system);
	const char *v = getenv(name);
	*from = name;
	if (v && *v)
		return v;
	v = getenv(base);
	*from = base;
	return v && *v ? v : 0;
}

/* Another system: its ldshim reads the same variables for its own
 * system, and no built-in default of this build applies. */
static void env_settings(struct settings *s, const char *system, const struct settings_opts *o)
{
	const char *from;
	const char *v = o->library_path ? o->library_path : getenv_sys("NIX_LD_LIBRARY_PATH", system, &from);
	s->nix_path = dup0(v);
	s->nix_path_from = xstrdup(o->library_path ? "--library-path" : from);
	s->global_path = s->nix_path;
	v = o->ldso ? o->ldso : getenv_sys("NIX_LD", system, &from);
	s->ldso = dup0(v);
	s->ldso_from = xstrdup(o->ldso ? "NIX_LD" : from);
	v = o->mode ? o->mode : getenv("NIX_LD_MODE");
	s->override = v && !strcmp(v, "override");
	s->mode_from = xstrdup(o->mode ? "--mode" : v && *v ? "NIX_LD_MODE" : "built-in default");
	s->not_modelled = cat3("ldshim-check reads the configuration files as the ", ARCH_SYSTEM,
			       " ldshim does");
	s->files[0] = cat3(check_system_config, ": not read (", s->not_modelled);
	char *t = cat3(s->files[0], ")", "");
	free(s->files[0]);
	s->files[0] = t;
	s->files[1] = xstrdup("(not read)");
	s->file_present = access(check_system_config, F_OK) == 0;
}

struct settings *settings_get(const char *file, int program, const char *system,
			      const struct settings_opts *o)
{
	struct settings *s = xcalloc(1, sizeof *s);
	s->modelled = !strcmp(system, ARCH_SYSTEM);
	if (s->modelled)
		shim_settings(s, file, program, o);
	else
		env_settings(s, system, o);
	return s;
}

void settings_free(struct settings *s)
{
	if (!s)
		return;
	if (s->global_path != s->nix_path)
		free((char *)s->global_path);
	free((char *)s->ldso);
	free((char *)s->ldso_from);
	free((char *)s->nix_path);
	free((char *)s->nix_path_from);
	free((char *)s->mode_from);
	for (size_t i = 0; i < s->n_cache; i++) {
		free((char *)s->cache[i].file);
		free((char *)s->cache[i].src);
	}
	for (size_t i = 0; i < 2; i++)
		free(s->files[i]);
	for (size_t i = 0; i < s->n_sections; i++)
		free(s->sections[i]);
	free((char *)s->not_modelled);
	free(s);
}
