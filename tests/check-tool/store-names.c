/* Store names read as Nix reads them: builtins.compareVersions and
 * builtins.parseDrvName (their documented examples and Nix's own test
 * cases), and which directory names are store names. Linked with
 * ldshim-check's store.c; prints PASS/FAIL lines for tests/lib.sh. */
#include "../../tools/ldshim-check/store.h"

#include <stdio.h>
#include <string.h>

static int failed;

static void cmp(const char *a, const char *b, int want)
{
	int got = version_cmp(a, b), back = version_cmp(b, a);
	got = (got > 0) - (got < 0);
	back = (back > 0) - (back < 0);
	if (got == want && back == -want) {
		printf("PASS compareVersions %s %s\n", a, b);
	} else {
		printf("FAIL compareVersions %s %s: expected %d (and %d reversed), got %d (and %d)\n",
		       a, b, want, -want, got, back);
		failed = 1;
	}
}

static void drv(const char *s, const char *name, const char *version)
{
	size_t n = drv_name_len(s);
	const char *v = s[n] ? s + n + 1 : "";
	if (strlen(name) == n && !strncmp(s, name, n) && !strcmp(v, version)) {
		printf("PASS parseDrvName %s\n", s);
	} else {
		printf("FAIL parseDrvName %s: expected name '%s' version '%s', got '%.*s' '%s'\n",
		       s, name, version, (int)n, s, v);
		failed = 1;
	}
}

static void store_name(const char *s, int want)
{
	if (store_name_ok(s) == want) {
		printf("PASS store-name %.50s\n", s);
	} else {
		printf("FAIL store-name %.50s: expected %s, got %s\n", s, want ? "a store name" : "no store name",
		       want ? "no store name" : "a store name");
		failed = 1;
	}
}

int main(void)
{
	/* The Nix manual's examples. */
	cmp("1.0", "2.3", -1);
	cmp("2.1", "2.3", -1);
	cmp("2.3", "2.3", 0);
	cmp("2.5", "2.3", 1);
	cmp("3.1", "2.3", 1);
	cmp("2.3.1", "2.3", 1);
	cmp("2.3.1", "2.3a", 1);
	cmp("2.3pre1", "2.3", -1);
	cmp("2.3pre3", "2.3pre12", -1);
	cmp("2.3a", "2.3c", -1);
	cmp("2.3pre1", "2.3c", -1);
	cmp("2.3pre1", "2.3q", -1);
	/* Numbers by value, separators alike, an output name as a word. */
	cmp("2.10", "2.9", 1);
	cmp("1.2-3", "1.2.3", 0);
	cmp("13.2.0-lib", "12.3.0-lib", 1);
	cmp("2.39-52", "2.39-5", 1);
	cmp("", "0", -1);
	/* More digits than an int holds are a word to Nix, older than any number. */
	cmp("99999999999", "1", -1);

	drv("ripgrep-1.2", "ripgrep", "1.2");
	drv("rip-grep-1.2", "rip-grep", "1.2");
	drv("7zip_archiver-0.2", "7zip_archiver", "0.2");
	drv("gcc-1-2", "gcc", "1-2");
	drv("bash--1-2", "bash", "-1-2");
	drv("xvidtune-?1-2", "xvidtune", "?1-2");
	drv("nix-0.12pre12876", "nix", "0.12pre12876");
	drv("gcc-13.2.0-lib", "gcc", "13.2.0-lib");
	drv("libX11-1.8.7", "libX11", "1.8.7");
	drv("glibc-2.39-52", "glibc", "2.39-52");
	drv("hello", "hello", "");
	drv("hello-", "hello-", "");

	store_name("0123456789abcdfghijklmnpqrsvwxyz-libX11-1.8.7", 1);
	store_name("0123456789abcdfghijklmnpqrsvwxyz-a+b_c?d=e.f", 1);
	store_name("0123456789abcdfghijklmnpqrsvwxy-libX11-1.8.7", 0);	/* 31 */
	store_name("0123456789abcdefghijklmnpqrsvwxy-libX11-1.8.7", 0);	/* e */
	store_name("0123456789ABCDFGHIJKLMNPQRSVWXYZ-libX11-1.8.7", 0);
	store_name("0123456789abcdfghijklmnpqrsvwxyz-.hidden", 0);
	store_name("0123456789abcdfghijklmnpqrsvwxyz-", 0);
	store_name("0123456789abcdfghijklmnpqrsvwxyz_libX11", 0);
	store_name("0123456789abcdfghijklmnpqrsvwxyz-lib X11", 0);
	store_name("0123456789abcdfghijklmnpqrsvwxyz-lib\xc3\xa9", 0);
	store_name(".links", 0);
	store_name("libX11-1.8.7", 0);
	char longname[300];
	memset(longname, 'a', sizeof longname);
	memcpy(longname, "0123456789abcdfghijklmnpqrsvwxyz-", 33);
	longname[33 + 211] = 0;
	store_name(longname, 1);
	longname[33 + 211] = 'a';
	longname[33 + 212] = 0;
	store_name(longname, 0);
	return failed;
}
