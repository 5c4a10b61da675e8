#include <stdarg.h>
#include "log.h"
#include "str.h"
#include "sys.h"

/* Zero-initialised: a pointer initialiser would need a relocation. */
struct log_state ldshim_log;

#define N_LEVELS 5

/* One string of NUL-separated names, not an array of pointers: pointers
 * in data would need run-time relocation (see the Makefile's check). */
static int level_of(const char *v)
{
	static const char names[] = "error\0warn\0info\0debug\0trace\0";
	const char *n = names;
	for (int i = 0; i < N_LEVELS; i++) {
		const char *a = v, *b = n;
		while (*a && *a == *b)
			a++, b++;
		if (!*a && !*b)
			return i;
		n += str_len(n) + 1;
	}
	return -1;
}

void log_init(const char *prog, const char *value)
{
	ldshim_log.prog = prog;
	if (!value)
		return;
	int l = level_of(value);
	if (l < 0) {
		ldshim_log.level = LOG_WARN;
		say(LOG_WARN, "unknown NIX_LD_LOG level '", value,
		    "' (error, warn, info, debug, trace): using error", (char *)0);
		l = LOG_ERROR;
	}
	ldshim_log.level = l;
}

struct line {
	char buf[512];
	unsigned n;
};

static void line_add(struct line *l, const char *s)
{
	while (*s) {
		if (l->n == sizeof l->buf) {
			sys_write(2, l->buf, l->n);
			l->n = 0;
		}
		l->buf[l->n++] = *s++;
	}
}

static void line_end(struct line *l)
{
	line_add(l, "\n");
	sys_write(2, l->buf, l->n);
}

void say(int level, ...)
{
	if (!log_on(level))
		return;
	struct line l = { .n = 0 };
	line_add(&l, "ldshim: ");
	va_list ap;
	va_start(ap, level);
	for (const char *s; (s = va_arg(ap, const char *));)
		line_add(&l, s);
	va_end(ap);
	line_end(&l);
}

void die(const char *what, const char *reason)
{
	struct line l = { .n = 0 };
	line_add(&l, ldshim_log.prog ? ldshim_log.prog : "ldshim");
	line_add(&l, ": ldshim: ");
	line_add(&l, what);
	line_add(&l, ": ");
	line_add(&l, reason);
	line_end(&l);
	sys_exit(127);
}

const char *err_reason(long e)
{
	switch (-e) {
	case 1: return "Operation not permitted";
	case 2: return "No such file or directory";
	case 5: return "Input/output error";
	case 9: return "Bad file descriptor";
	case 12: return "Cannot allocate memory";
	case 13: return "Permission denied";
	case 14: return "Bad address";
	case 19: return "No such device";
	case 20: return "Not a directory";
	case 21: return "Is a directory";
	case 22: return "Invalid argument";
	case 23: case 24: return "Too many open files";
	case 26: return "Text file busy";
	case 17: return "File exists";
	case 27: return "File too large";
	case 28: return "No space left on device";
	case 30: return "Read-only file system";
	case 36: return "File name too long";
	case 40: return "Too many levels of symbolic links";
	case 75: return "Value too large for defined data type";
	case 122: return "Disk quota exceeded";
	default: return "system call failed";
	}
}
