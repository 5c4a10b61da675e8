/* libentrycapture.so.1: its constructor runs while ld.so has not yet
 * jumped to AT_ENTRY, so AT_ENTRY still names whatever ld.so will jump to
 * (ldshim's trampoline, when started through ldshim). It copies 256 bytes
 * from there into the file named by argv[1] (not the environment: the
 * environment must stay the user's). Read through /proc/self/mem, so that
 * a mapping ending early gives a short copy, not a crash. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <unistd.h>

__attribute__((constructor)) static void capture(int argc, char **argv, char **envp)
{
	(void)envp;
	if (argc < 2)
		return;
	unsigned char buf[256];
	uintptr_t entry = getauxval(AT_ENTRY);
	int mem = open("/proc/self/mem", O_RDONLY);
	ssize_t n = mem < 0 ? -1 : pread(mem, buf, sizeof buf, (off_t)entry);
	int out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (n <= 0 || out < 0 || write(out, buf, (size_t)n) != n)
		fprintf(stderr, "entry-capture: cannot copy AT_ENTRY %#lx to %s\n",
		        (unsigned long)entry, argv[1]);
	if (out >= 0)
		close(out);
	if (mem >= 0)
		close(mem);
}
