/* `ldshim --config [PROGRAM]` (config.h): what the configuration files
 * give a program, each value with where it came from. Not on a start's
 * path: only explicit invocation gets here. */
#include "config.h"
#include "progid.h"
#include "str.h"
#include "sys.h"

struct pout {
	unsigned n;
	char buf[1024];
};

static void put(struct pout *o, const char *s)
{
	while (*s) {
		if (o->n == sizeof o->buf) {
			sys_write(1, o->buf, o->n);
			o->n = 0;
		}
		o->buf[o->n++] = *s++;
	}
}

const char *config_state_text(const struct config_file *f)
{
	switch (f->state) {
	case CONFIG_READ: return ": read";
	case CONFIG_MISSING: return ": not present";
	case CONFIG_IGNORED: return ": ignored: ";
	case CONFIG_NOT_ALLOWED: return "(not read: the system file has no allow-user-config = yes)";
	case CONFIG_SECURE: return "(not read in secure mode)";
	case CONFIG_NO_HOME: return "(not read: neither XDG_CONFIG_HOME nor HOME is an absolute path)";
	default: return "(not read)";
	}
}

static void put_file(struct pout *o, const char *what, const struct config_file *f)
{
	char num[24];
	put(o, what);
	put(o, f->name ? f->name : "");
	put(o, config_state_text(f));
	if (f->state == CONFIG_IGNORED)
		put(o, f->why);
	if (f->state == CONFIG_READ && f->c.errors) {
		put(o, ", ");
		put(o, str_num(num, f->c.errors, 0));
		put(o, " line(s) skipped (NIX_LD_LOG=warn shows them)");
	}
	put(o, "\n");
}

/* "program: PROG (build-id HEX)". */
static void put_program(struct pout *o, const char *prog)
{
	put(o, "program: ");
	put(o, prog ? prog : "(none given: global settings only)");
	if (prog) {
		struct config_id id = { 0, 0, 0, 0 };
		config_id_from_file(&id, prog);
		put(o, id.build_id ? " (build-id " : " (no build-id)");
		for (size_t i = 0; id.build_id && i < id.build_id_len; i++) {
			char h[3] = { "0123456789abcdef"[id.build_id[i] >> 4],
			              "0123456789abcdef"[id.build_id[i] & 15], 0 };
			put(o, h);
		}
		put(o, id.build_id ? ")" : "");
	}
	put(o, "\n");
}

static void put_section(struct pout *o, const struct config_file *f)
{
	char num[24];
	if (f->state != CONFIG_READ || !f->c.match.v)
		return;
	put(o, "matching section: ");
	put(o, f->c.match.v);
	put(o, "] (");
	put(o, f->name);
	put(o, ":");
	put(o, str_num(num, f->c.match.line, 0));
	put(o, ")\n");
}

/* "key = value (source)". */
static void put_setting(struct pout *o, const char *key, const char *v, const char *from)
{
	put(o, key);
	put(o, " = ");
	put(o, v);
	put(o, " (");
	put(o, from);
	put(o, ")\n");
}

void config_print(struct env_plan *p, const struct image *im, const char *prog)
{
	struct pout o = { .n = 0 };
	config_apply_file(p, im, prog);
	put_program(&o, prog);
	put_file(&o, "system file: ", config_system_file());
	put_file(&o, "user file: ", config_user_file());
	put_section(&o, config_user_file());
	put_section(&o, config_system_file());
	put_setting(&o, "mode", p->mode ? p->mode : "fallback", config_mode_from());
	put_setting(&o, "ld.so", p->ldso, p->ldso_from);
	put_setting(&o, "library-path", p->nix_path, p->nix_path_from);
	if (o.n)
		sys_write(1, o.buf, o.n);
}
