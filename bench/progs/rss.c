/* The resident-memory probe: at the start of main, before it allocates
 * anything, print what /proc/self/smaps_rollup says (kB) and how many
 * mappings /proc/self/maps lists. Plain read/write, no stdio buffers. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static char buf[16384];

static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;
	if (fd < 0)
		return -1;
	while (n < (long)sizeof buf - 1 && (r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	return n;
}

static void put(const char *s) { (void)!write(1, s, strlen(s)); }

int main(void)
{
	static const char *keys[] = { "Rss:", "Pss:", "Private_Clean:", "Private_Dirty:",
	                              "Anonymous:" };
	static char out[1024];
	char *o = out;

	if (slurp("/proc/self/smaps_rollup") < 0)
		return 1;
	for (unsigned k = 0; k < sizeof keys / sizeof *keys; k++) {
		char *p = strstr(buf, keys[k]);
		if (!p)
			continue;
		char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p + 1) : strlen(p);
		memcpy(o, p, len);
		o += len;
	}
	long n = slurp("/proc/self/maps"), lines = 0;
	for (long i = 0; i < n; i++)
		lines += buf[i] == '\n';
	*o = 0;
	put(out);
	char num[32], *q = num + sizeof num - 1;
	*q = 0;
	*--q = '\n';
	do
		*--q = (char)('0' + lines % 10);
	while (lines /= 10);
	put("Maps: ");
	put(q);
	return 0;
}
