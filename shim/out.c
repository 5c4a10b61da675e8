/* Text for the user, buffered (out.h): explicit invocation's usage and
 * --version line and `ldshim --config` write through one buffer each, and
 * flush it before anything else may write. */
#include "out.h"
#include "sys.h"

void out_put(struct out *o, const char *s)
{
	while (*s) {
		if (o->n == sizeof o->buf) {
			sys_write(o->fd, o->buf, o->n);
			o->n = 0;
		}
		o->buf[o->n++] = *s++;
	}
}

void out_flush(struct out *o)
{
	if (o->n)
		sys_write(o->fd, o->buf, o->n);
	o->n = 0;
}
