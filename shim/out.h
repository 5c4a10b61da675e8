/* Text for the user (out.c): ldshim's usage, the --version line,
 * `ldshim --config`. */
#ifndef LDSHIM_OUT_H
#define LDSHIM_OUT_H

/* Plain lines on fd, no "ldshim: " log prefix (that is log.c's), kept
 * until out_flush or a full buffer, so that each is written whole where
 * it fits. */
struct out {
	int fd;
	unsigned n;
	char buf[1024];
};

void out_put(struct out *o, const char *s);
void out_flush(struct out *o);

#endif
