/* libFuzzer target: the program's DT_RUNPATH (shim/progid.c), which the
 * last resort puts before the Nix path, read from an arbitrary program.
 *
 * Memory: the input is the program's image, as if the kernel had mapped
 * it at the buffer's address with AT_PHDR at its e_phoff. The kernel maps
 * every PT_LOAD's file bytes, so an input whose PT_LOADs reach past the
 * buffer is not a program the shim can meet, and is skipped. File: the
 * input is the program's file (run as a command). Either way the answer
 * is NULL or a string that ends inside what progid.c may read; a read
 * outside is an ASan error. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include "hosted.h"
#include "progid.h"

typedef ElfW(Ehdr) Ehdr;
typedef ElfW(Phdr) Phdr;

static void from_memory(const uint8_t *data, size_t size)
{
	Ehdr e;
	if (size < sizeof e)
		return;
	memcpy(&e, data, sizeof e);
	if (e.e_phentsize != sizeof(Phdr) || e.e_phnum == 0 || e.e_phnum > 64 ||
	    e.e_phoff > size || (size - e.e_phoff) / sizeof(Phdr) < e.e_phnum ||
	    e.e_phoff % _Alignof(Phdr))
		return;
	/* A page-aligned copy: the image the kernel would have mapped, its
	 * first byte at the start of a page (the ELF header is mapped before
	 * the program headers, in their page). */
	void *mem;
	if (posix_memalign(&mem, 4096, size))
		return;
	uint8_t *img = mem;
	memcpy(img, data, size);
	const Phdr *ph = (const Phdr *)(img + e.e_phoff);
	uintptr_t bias = (uintptr_t)img;
	for (int i = 0; i < e.e_phnum; i++)
		if (ph[i].p_type == PT_PHDR)
			bias = (uintptr_t)ph - (uintptr_t)ph[i].p_vaddr;
	for (int i = 0; i < e.e_phnum; i++) {
		uintptr_t lo = bias + (uintptr_t)ph[i].p_vaddr;
		if (ph[i].p_type == PT_LOAD &&
		    (lo < (uintptr_t)img || ph[i].p_filesz > size ||
		     lo - (uintptr_t)img > size - ph[i].p_filesz)) {
			free(img);
			return;
		}
	}
	uintptr_t words[2 + 1 + 1 + 6];
	struct image im = { .sp = words, .argc = 0, .argv = NULL, .envp = NULL, .envc = 0,
	                    .auxv = &words[4], .auxc = 3 };
	words[4] = AT_PHDR; words[5] = (uintptr_t)ph;
	words[6] = AT_PHNUM; words[7] = e.e_phnum;
	words[8] = AT_NULL; words[9] = 0;
	const char *r = runpath_from_memory(&im);
	if (r && ((uintptr_t)r < (uintptr_t)img || (uintptr_t)r + strlen(r) >= (uintptr_t)img + size)) {
		fprintf(stderr, "runpath_from_memory: a string outside the image\n");
		abort();
	}
	free(img);
}

static void from_file(const uint8_t *data, size_t size)
{
	int fd = memfd_create("prog", MFD_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, data, size) == (ssize_t)size) {
		char name[64];
		snprintf(name, sizeof name, "/proc/self/fd/%d", fd);
		const char *r = runpath_from_file(name);
		if (r && strlen(r) >= PATH_MAX_RUNPATH) {
			fprintf(stderr, "runpath_from_file: an unterminated string\n");
			abort();
		}
	}
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	from_memory(data, size);
	from_file(data, size);
	return 0;
}
