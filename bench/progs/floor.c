/* The floor of the NixOS bench (bench/nixos.sh): the least a program
 * interpreter that is not ld.so itself can do. The kernel maps it (a
 * static-pie of a few KiB, as it maps ldshim); it maps the real ld.so
 * (LDSO, fixed at build time) the way the kernel maps an interpreter,
 * sets AT_BASE and jumps to ld.so's entry. No environment, no
 * configuration, no cache, no patch, no checks beyond what keeps it from
 * crashing: a start through it costs what being an interpreter costs, and
 * nothing a real loader could leave out. x86_64 only; built like the shim
 * (freestanding, static-pie, no relocations, two segments).
 *
 * Its system calls: openat, pread64, one mmap per PT_LOAD, close. */
#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#ifndef LDSO
#error "build with -DLDSO='\"/path/to/ld.so\"'"
#endif

void floor_main(uintptr_t *sp) __attribute__((noreturn, used));

__asm__(".text\n"
        ".globl floor_start\n"
        "floor_start:\n"
        "	xorl %ebp, %ebp\n"
        "	movq %rsp, %rdi\n"
        "	andq $-16, %rsp\n"
        "	call floor_main\n"
        "	hlt\n"
        /* floor_enter(entry, sp): ld.so's state at its entry, as the
         * kernel leaves it (%rdx 0: no rtld_fini yet). */
        "floor_enter:\n"
        "	movq %rsi, %rsp\n"
        "	xorl %edx, %edx\n"
        "	jmp *%rdi\n");
void floor_enter(uintptr_t entry, uintptr_t *sp) __attribute__((noreturn));

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c),
	                 "r"(r10), "r"(r8), "r"(r9) : "rcx", "r11", "memory");
	return r;
}

#define PG 4096ul
static uintptr_t down(uintptr_t v) { return v & ~(PG - 1); }
static uintptr_t up(uintptr_t v) { return (v + PG - 1) & ~(PG - 1); }

static void die(void)
{
	static const char msg[] = "floor: cannot map " LDSO "\n";
	sys6(1, 2, (long)msg, sizeof msg - 1, 0, 0, 0);
	sys6(231, 127, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}

static int prot(const Elf64_Phdr *p)
{
	return (p->p_flags & PF_R ? 1 : 0) | (p->p_flags & PF_W ? 2 : 0) |
	       (p->p_flags & PF_X ? 4 : 0);
}

static long map(uintptr_t at, size_t len, int pr, int flags, long fd, uint64_t off)
{
	long r = sys6(9, (long)at, (long)len, pr, flags, fd, (long)off);
	if ((unsigned long)r > -4096ul)
		die();
	return r;
}

void floor_main(uintptr_t *sp)
{
	union { Elf64_Ehdr e; char b[1024]; } h;
	uintptr_t *p = sp + 1 + sp[0] + 1;
	while (*p)
		p++;
	Elf64_auxv_t *aux = (Elf64_auxv_t *)(p + 1);

	long fd = sys6(257, -100, (long)LDSO, 0 /* O_RDONLY */, 0, 0, 0);
	if (fd < 0 || sys6(17, fd, (long)h.b, sizeof h.b, 0, 0, 0) < (long)sizeof h.e ||
	    h.e.e_phoff + h.e.e_phnum * sizeof(Elf64_Phdr) > sizeof h.b)
		die();
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(h.b + h.e.e_phoff), *first = 0, *last = 0;
	for (int i = 0; i < h.e.e_phnum; i++)
		if (ph[i].p_type == PT_LOAD) {
			if (!first)
				first = &ph[i];
			last = &ph[i];
		}
	if (!first)
		die();
	/* The first segment over the whole span reserves it; the others
	 * replace their part (MAP_FIXED), bss the rest. */
	uintptr_t lo = down(first->p_vaddr);
	uintptr_t base = map(0, up(last->p_vaddr + last->p_memsz) - lo, prot(first),
	                     2 /* MAP_PRIVATE */, fd, down(first->p_offset)) - lo;
	for (const Elf64_Phdr *s = first; s <= last; s++) {
		if (s->p_type != PT_LOAD)
			continue;
		uintptr_t start = down(base + s->p_vaddr);
		uintptr_t fend = base + s->p_vaddr + s->p_filesz, fpages = up(fend);
		uintptr_t mend = up(base + s->p_vaddr + s->p_memsz);
		if (s != first)
			map(start, fpages - start, prot(s), 2 | 0x10 /* MAP_FIXED */, fd,
			    down(s->p_offset));
		if (s->p_memsz > s->p_filesz) {
			for (char *z = (char *)fend; z < (char *)fpages; z++)
				*z = 0;
			if (mend > fpages)
				map(fpages, mend - fpages, prot(s), 2 | 0x10 | 0x20 /* ANON */, -1, 0);
		}
	}
	sys6(3, fd, 0, 0, 0, 0, 0);
	for (; aux->a_type != AT_NULL; aux++)
		if (aux->a_type == AT_BASE)
			aux->a_un.a_val = base;
	floor_enter(base + h.e.e_entry, sp);
}
