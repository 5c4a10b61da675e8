/* Diagnostics on stderr: one line each, "ldshim: ..." for NIX_LD_LOG
 * messages and "<program>: ldshim: <what>: <reason>" for the fatal error. */
#ifndef LDSHIM_LOG_H
#define LDSHIM_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG, LOG_TRACE };

struct log_state {
	int level;
	const char *prog;       /* argv[0] of the program, for die() */
};
extern struct log_state ldshim_log;

/* Set the level from NIX_LD_LOG's value (NULL: unset). */
void log_init(const char *prog, const char *value);
static inline int log_on(int level) { return ldshim_log.level >= level; }
/* Write "ldshim: " and the NULL-terminated list of strings as one line. */
void say(int level, ...) __attribute__((sentinel));

/* "<program>: ldshim: <what>: <reason>", exit 127 ("could not run"). */
__attribute__((noreturn)) void die(const char *what, const char *reason);
/* The text for a -errno value from a system call. */
const char *err_reason(long neg_errno);

#endif
