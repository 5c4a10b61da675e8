/* libFuzzer target: config_parse (shim/confparse.c) and config_note_build_id (shim/progid.c).
 *
 * Input: one flags byte, then the file.
 *   bit 0      the program has a build-id (the first 20 bytes of the
 *              file, or fewer), so [build-id] sections can match
 *   bit 1      the program's path is "/opt/x"
 * Checked: no crash or out-of-bounds read (ASan), every value found
 * lies inside the buffer and is NUL-terminated there, matching-section
 * values only when something identifies the program, and the note
 * reader stays inside what it is given. */
#include <stdio.h>
#include "hosted.h"
#include "confparse.h"
#include "progid.h"

static void bad(const char *what)
{
	fprintf(stderr, "config: %s\n", what);
	abort();
}

static void inside(const struct config_val *v, const char *buf, size_t len)
{
	if (!v->v)
		return;
	if (v->v < buf || v->v > buf + len)
		bad("value outside the buffer");
	if (strlen(v->v) > (size_t)(buf + len - v->v))
		bad("value not terminated inside the buffer");
	if (!*v->v)
		bad("empty value");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t len = size - 1;
	char *buf = malloc(len + 1);
	memcpy(buf, data + 1, len);
	unsigned char bid[20];
	size_t blen = len < sizeof bid ? len : sizeof bid;
	memcpy(bid, data + 1, blen);
	struct config_id id = { 0, 0, 0, 0 };
	if (data[0] & 1 && blen) {
		id.build_id = bid;
		id.build_id_len = blen;
	}
	if (data[0] & 2)
		id.path = "/opt/x";
	struct config c;
	config_parse(&c, buf, len, "fuzz.conf", &id);
	for (int w = 0; w < 2; w++) {
		inside(&c.ldso[w], buf, len);
		inside(&c.path[w], buf, len);
		inside(&c.p_ldso[w], buf, len);
		inside(&c.p_path[w], buf, len);
		if (c.ldso[w].v && c.ldso[w].v[0] != '/')
			bad("relative ld.so accepted");
	}
	inside(&c.mode, buf, len);
	inside(&c.allow_user, buf, len);
	if (!(data[0] & 3) && (c.p_ldso[0].v || c.p_ldso[1].v || c.p_path[0].v ||
	                       c.p_path[1].v || c.match.v))
		bad("a section matched a program with no identity");
	(void)config_wants_path(buf, len);
	free(buf);

	/* The same bytes as notes, in a buffer of exactly their size. */
	unsigned char *n = malloc(len ? len : 1);
	memcpy(n, data + 1, len);
	size_t il = 0;
	const unsigned char *b = config_note_build_id(n, len, data[0] & 4 ? 8 : 4, &il);
	if (b && (b < n || il == 0 || il > CONFIG_ID_MAX || b + il > n + len))
		bad("build-id outside the notes");
	free(n);
	return 0;
}
