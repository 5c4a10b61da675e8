/* make-corpus REAL_LDSO DIR: write the hostile and broken "ld.so" files
 * of tests/security/t-corpus.sh into DIR (which must not exist). Most are
 * the real ld.so with one thing broken, so that exactly that check fires.
 * make-corpus --seeds DIR: small ELF files for the fuzz seed corpus. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dir;
static unsigned char *orig;
static size_t orig_size;

static void die(const char *what)
{
	fprintf(stderr, "make-corpus: %s: %s\n", what, strerror(errno));
	exit(2);
}

static char *path(const char *name)
{
	static char buf[4096];
	snprintf(buf, sizeof buf, "%s/%s", dir, name);
	return buf;
}

static void put(const char *name, const void *data, size_t n)
{
	int fd = open(path(name), O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || write(fd, data, n) != (ssize_t)n || close(fd) != 0)
		die(name);
}

/* A fresh copy of the real ld.so, its ELF header and program headers. */
static unsigned char *f;
static Elf64_Ehdr *eh;
static Elf64_Phdr *ph;
static void fresh(void)
{
	memcpy(f, orig, orig_size);
	eh = (Elf64_Ehdr *)f;
	ph = (Elf64_Phdr *)(f + eh->e_phoff);
}
/* The n-th PT_LOAD of the fresh copy. */
static Elf64_Phdr *load(int n)
{
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && n-- == 0)
			return &ph[i];
	fprintf(stderr, "make-corpus: the real ld.so has too few PT_LOADs\n");
	exit(2);
}
static void put_fresh(const char *name) { put(name, f, orig_size); }

static void seeds(void)
{
	/* The smallest acceptable file: one R+X PT_LOAD covering itself. */
	struct { Elf64_Ehdr e; Elf64_Phdr p[2]; } s;
	memset(&s, 0, sizeof s);
	memcpy(s.e.e_ident, ELFMAG, SELFMAG);
	s.e.e_ident[EI_CLASS] = ELFCLASS64;
	s.e.e_ident[EI_DATA] = ELFDATA2LSB;
	s.e.e_ident[EI_VERSION] = EV_CURRENT;
	s.e.e_type = ET_DYN;
	s.e.e_machine = EM_X86_64;
	s.e.e_version = EV_CURRENT;
	s.e.e_entry = 0x70;
	s.e.e_phoff = sizeof s.e;
	s.e.e_ehsize = sizeof s.e;
	s.e.e_phentsize = sizeof s.p[0];
	s.e.e_phnum = 1;
	s.p[0] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_X, 0, 0, 0, sizeof s.e + sizeof s.p[0],
	                       0x1000, 0x1000 };
	put("tiny-valid", &s, sizeof s.e + sizeof s.p[0]);
	/* Two segments, the second with a .bss tail, on a page boundary. */
	s.e.e_phnum = 2;
	s.p[1] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_W, 0, 0x1000, 0x1000, 0, 0x2000, 0x1000 };
	put("two-loads", &s, sizeof s);
	/* The real ld.so's ELF header and program headers, without the rest:
	 * "truncated" as it stands, one mutation from many checks. */
	put("ldso-headers", orig, ((Elf64_Ehdr *)orig)->e_phoff +
	    (size_t)((Elf64_Ehdr *)orig)->e_phnum * sizeof(Elf64_Phdr));
	put("not-elf", "#!/bin/sh\necho not an ELF file\n", 31);
}

int main(int argc, char **argv)
{
	int seed_mode = argc == 4 && strcmp(argv[1], "--seeds") == 0;
	if (argc != 3 && !seed_mode) {
		fprintf(stderr, "usage: make-corpus REAL_LDSO DIR | --seeds REAL_LDSO DIR\n");
		return 2;
	}
	const char *real = argv[argc - 2];
	dir = argv[argc - 1];
	FILE *in = fopen(real, "rb");
	if (!in)
		die(real);
	fseek(in, 0, SEEK_END);
	orig_size = (size_t)ftell(in);
	rewind(in);
	orig = malloc(orig_size);
	f = malloc(orig_size);
	if (fread(orig, 1, orig_size, in) != orig_size)
		die(real);
	fclose(in);
	if (mkdir(dir, 0755) != 0)
		die(dir);
	if (seed_mode) {
		seeds();
		return 0;
	}

	put("empty", "", 0);
	put("short-text", "hi\n", 3);
	put("truncated-ehdr", orig, 40);
	put("text", "#!/bin/sh\n# a shell script is not a dynamic linker\necho hello\n", 62);
	fresh(); eh->e_ident[EI_CLASS] = ELFCLASS32; put_fresh("class32");
	fresh(); eh->e_ident[EI_DATA] = ELFDATA2MSB; put_fresh("big-endian");
	fresh(); eh->e_machine = EM_AARCH64; put_fresh("machine-aarch64");
	fresh(); eh->e_type = ET_EXEC; put_fresh("type-exec");
	fresh(); eh->e_type = ET_REL; put_fresh("type-rel");
	fresh(); eh->e_phentsize = 32; put_fresh("phentsize");
	fresh(); eh->e_phnum = 0; put_fresh("phnum-zero");
	fresh(); eh->e_phnum = 0xffff; put_fresh("phnum-huge");
	fresh(); eh->e_phoff = orig_size + 4096; put_fresh("phoff-past-eof");
	fresh(); eh->e_phoff = orig_size - 3 * sizeof *ph; put_fresh("phdrs-cut-by-eof");
	fresh(); put("phdrs-truncated", f, eh->e_phoff + sizeof *ph * 2);
	fresh(); memmove(f + eh->e_phoff + 4, ph, eh->e_phnum * sizeof *ph);
	eh->e_phoff += 4; put_fresh("phoff-misaligned");
	fresh(); load(3)->p_filesz = load(3)->p_memsz + 1; put_fresh("filesz-gt-memsz");
	fresh(); load(1)->p_offset += 8; put_fresh("misaligned-offset");
	fresh(); load(1)->p_vaddr += 0x10; load(1)->p_paddr += 0x10; put_fresh("misaligned-vaddr");
	fresh(); load(2)->p_offset = ((orig_size + 0xffff) & ~0xfffful) + (load(2)->p_vaddr & 0xffff);
	put_fresh("load-offset-past-eof");
	fresh(); load(2)->p_filesz = load(2)->p_memsz = orig_size; put_fresh("load-filesz-past-eof");
	fresh(); load(3)->p_memsz = 1ull << 40; put_fresh("load-huge-memsz");
	fresh(); load(3)->p_vaddr = load(3)->p_paddr = 1ull << 44 | (load(3)->p_vaddr & 0xfff);
	put_fresh("load-huge-vaddr");
	fresh(); load(3)->p_memsz = (1ull << 30); put_fresh("span-over-1g");
	fresh(); load(2)->p_vaddr = load(1)->p_vaddr; put_fresh("loads-overlap");
	fresh(); { Elf64_Phdr t = *load(1); *load(1) = *load(2); *load(2) = t; }
	put_fresh("loads-out-of-order");
	fresh(); for (int i = 0; i < eh->e_phnum; i++) if (ph[i].p_type == PT_LOAD) ph[i].p_type = PT_NULL;
	put_fresh("no-load");
	fresh(); eh->e_entry = load(3)->p_vaddr + load(3)->p_memsz + 0x100000; put_fresh("entry-outside");
	fresh(); eh->e_entry = load(3)->p_vaddr; put_fresh("entry-in-data");

	/* Not regular files, or not readable. */
	if (mkdir(path("directory"), 0755) != 0)
		die("directory");
	if (mkfifo(path("fifo"), 0644) != 0)
		die("fifo");
	if (symlink("loop-b", path("loop-a")) != 0 || symlink("loop-a", path("loop-b")) != 0)
		die("loop");
	if (symlink("does-not-exist", path("dangling")) != 0)
		die("dangling");
	put("no-read", orig, orig_size);
	if (chmod(path("no-read"), 0) != 0)
		die("no-read");
	/* 2 GiB of holes: no disk used. */
	int fd = open(path("sparse-2g"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || ftruncate(fd, 2l << 30) != 0 || close(fd) != 0)
		die("sparse-2g");
	/* The real ld.so followed by 2 GiB of holes would be valid; with its
	 * ELF header in the holes' place it is not. */
	fd = open(path("sparse-2g-headless"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || pwrite(fd, orig + 64, orig_size - 64, 64) < 0 ||
	    ftruncate(fd, 2l << 30) != 0 || close(fd) != 0)
		die("sparse-2g-headless");
	return 0;
}
