/* mdwe PROG ARGS: run PROG with memory-deny-write-execute (what systemd's
 * MemoryDenyWriteExecute= and prctl PR_SET_MDWE do): memory that was
 * writable may not become executable. Exit 77 if the kernel lacks it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#endif
#ifndef PR_MDWE_REFUSE_EXEC_GAIN
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif
int main(int argc, char **argv, char **envp)
{
	if (argc < 2)
		return 2;
	if (prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0L, 0L, 0L)) {
		fprintf(stderr, "mdwe: prctl(PR_SET_MDWE): %s\n", strerror(errno));
		return errno == EINVAL ? 77 : 2;
	}
	execve(argv[1], argv + 1, envp);
	perror("mdwe: execve");
	return 2;
}
