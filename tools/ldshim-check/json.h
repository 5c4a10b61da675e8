/* JSON output: below check.c and store.c, which both print it. */
#ifndef JSON_H
#define JSON_H

/* S as a JSON string (null for 0), on stdout. */
void jstr(const char *s);

#endif
