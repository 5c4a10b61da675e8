/* `ldshim --config [PROGRAM]` (config.h): what the configuration files
 * give a program, each value with where it came from. Not on a start's
 * path: only explicit invocation gets here. */
#include "config.h"
#include "out.h"
#include "progid.h"
#include "str.h"

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

static void put_file(struct out *o, const char *what, const struct config_file *f)
{
	char num[24];
	out_put(o, what);
	out_put(o, f->name ? f->name : "");
	out_put(o, config_state_text(f));
	if (f->state == CONFIG_IGNORED)
		out_put(o, f->why);
	if (f->state == CONFIG_READ && f->c.errors) {
		out_put(o, ", ");
		out_put(o, str_num(num, f->c.errors, 0));
		out_put(o, " line(s) skipped (NIX_LD_LOG=warn shows them)");
	}
	out_put(o, "\n");
}

/* "program: PROG (build-id HEX)". */
static void put_program(struct out *o, const char *prog)
{
	out_put(o, "program: ");
	out_put(o, prog ? prog : "(none given: global settings only)");
	if (prog) {
		struct config_id id = { 0, 0, 0, 0 };
		config_id_from_file(&id, prog);
		out_put(o, id.build_id ? " (build-id " : " (no build-id)");
		for (size_t i = 0; id.build_id && i < id.build_id_len; i++) {
			char h[3] = { "0123456789abcdef"[id.build_id[i] >> 4],
			              "0123456789abcdef"[id.build_id[i] & 15], 0 };
			out_put(o, h);
		}
		out_put(o, id.build_id ? ")" : "");
	}
	out_put(o, "\n");
}

static void put_section(struct out *o, const struct config_file *f)
{
	char num[24];
	if (f->state != CONFIG_READ || !f->c.match.v)
		return;
	out_put(o, "matching section: ");
	out_put(o, f->c.match.v);
	out_put(o, "] (");
	out_put(o, f->name);
	out_put(o, ":");
	out_put(o, str_num(num, f->c.match.line, 0));
	out_put(o, ")\n");
}

/* "key = value (source)". */
static void put_setting(struct out *o, const char *key, const char *v, const char *from)
{
	out_put(o, key);
	out_put(o, " = ");
	out_put(o, v);
	out_put(o, " (");
	out_put(o, from);
	out_put(o, ")\n");
}

void config_print(struct env_plan *p, const struct image *im, const char *prog)
{
	struct out o = { .fd = 1, .n = 0 };
	config_apply_file(p, im, prog);
	put_program(&o, prog);
	put_file(&o, "system file: ", config_system_file());
	put_file(&o, "user file: ", config_user_file());
	put_section(&o, config_user_file());
	put_section(&o, config_system_file());
	put_setting(&o, "mode", p->mode ? p->mode : "fallback", config_mode_from());
	put_setting(&o, "ld.so", p->ldso, p->ldso_from);
	put_setting(&o, "library-path", p->nix_path, p->nix_path_from);
	out_flush(&o);
}
