/* stress-driver N P CMD [ARGS...]: start CMD N times, at most P at once,
 * each with this process's environment; print "<N> started, <F> failed"
 * (failed: a non-zero exit or a signal, the first few described) and exit
 * 1 if any failed. Static: it runs inside the simulated NixOS. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: stress-driver N P CMD [ARGS...]\n");
		return 2;
	}
	long n = atol(argv[1]), par = atol(argv[2]), started = 0, running = 0, failed = 0;
	while (started < n || running > 0) {
		while (started < n && running < par) {
			pid_t pid = fork();
			if (pid < 0) {
				perror("fork");
				break;
			}
			if (pid == 0) {
				execve(argv[3], argv + 3, environ);
				_exit(127);
			}
			started++;
			running++;
		}
		int st;
		pid_t pid = wait(&st);
		if (pid < 0)
			break;
		running--;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			if (failed++ < 5)
				fprintf(stderr, "stress-driver: child %d: %s %d\n", (int)pid,
				        WIFEXITED(st) ? "exit" : "signal",
				        WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		}
	}
	printf("%ld started, %ld failed\n", started, failed);
	return failed || started != n;
}
