/* Prints the path ld.so loaded each libnt*.so.1 from (its l_name, what a
 * cache entry or a search of the path gives), one per line. */
#define _GNU_SOURCE
#include <link.h>
#include <stdio.h>
#include <string.h>

int nix_test_fn(void);

static int show(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	if (strstr(info->dlpi_name, "/libnt"))
		printf("%s\n", info->dlpi_name);
	return 0;
}

int main(void)
{
	nix_test_fn();
	dl_iterate_phdr(show, 0);
	return 0;
}
