/* A "foreign" program, as a vendor would ship it: built on a normal
 * distribution, interpreter /lib64/ld-linux-x86-64.so.2. It says where its
 * libc came from, then runs a child, as editors and build tools do. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	Dl_info info;
	dladdr((void *)printf, &info);
	printf("foreign program: started, libc from %s\n", info.dli_fname);
	const char *llp = getenv("LD_LIBRARY_PATH");
	printf("foreign program: LD_LIBRARY_PATH %s%s\n", llp ? "= " : "is not set",
	       llp ? llp : "");
	printf("foreign program: running `env` as a child; its environment:\n");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execl("/usr/bin/env", "env", (char *)0);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
