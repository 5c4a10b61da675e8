/* A hostile "ld.so": a valid ET_DYN that, if anything ever ran it, leaves
 * MARKER behind and exits 66. Built -static-pie -nostdlib; no libc, no
 * relocations (the string is addressed relative to the code). */
#define SYS_write 1
#define SYS_open 2
#define SYS_exit_group 231

static long sc(long n, long a, long b, long c)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c)
	                 : "rcx", "r11", "memory");
	return r;
}

void _start(void)
{
	static const char msg[] = "evil ld.so ran\n";
	long fd = sc(SYS_open, (long)MARKER, 02101 /* O_WRONLY|O_CREAT|O_APPEND */, 0666);
	sc(SYS_write, fd, (long)msg, sizeof msg - 1);
	sc(SYS_exit_group, 66, 0, 0);
	for (;;)
		;
}
