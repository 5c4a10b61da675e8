/* JSON output shared by the report of a file (check.c) and of the store's
 * candidates (store.c). */
#include "json.h"

#include <stdio.h>

void jstr(const char *s)
{
	if (!s) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\t')
			fputs("\\t", stdout);
		else if (*p < 0x20 || *p >= 0x7f)
			printf("\\u%04x", *p);	/* raw bytes: not UTF-8 decoded */
		else
			putchar(*p);
	}
	putchar('"');
}
