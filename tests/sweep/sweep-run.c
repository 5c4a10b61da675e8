/* sweep-run [OPTION...] LIST OUTDIR: start every program of LIST (one
 * path a line) the way the sweep compares them: `PROG --version`, stdin
 * /dev/null, stdout and stderr into OUTDIR/<line>.out, in an empty
 * directory, as an unprivileged user, killed (with its process group)
 * after a time limit; OUTDIR/<line>.rc says how it ended: "exit N",
 * "signal N" or "timeout". Several at once (--jobs).
 *   --jobs N         programs run at a time (default 2)
 *   --timeout MS     time limit per program (default 3000)
 *   --user UID       run them as UID, group UID, no supplementary groups
 *   --dir DIR        the empty directory they run in (made, 0755)
 *   --private-dir D  made, 0700, owned by UID (an XDG_RUNTIME_DIR; its
 *                    parent too, 0755, if missing); give --user first
 * Linked statically: it runs inside the simulated NixOS, where no
 * dynamically linked program starts but through the loader under test,
 * and it must not itself be one of the starts it counts. The programs get
 * its environment unchanged. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int jobs = 2;
static long timeout_ms = 3000;
static long uid = -1;
static const char *dir = "/";

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "sweep-run: %s %s: %s\n", what, arg, strerror(errno));
	exit(2);
}

static char **read_list(const char *path, int *n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die("read", path);
	char **list = NULL, *line = NULL;
	size_t cap = 0;
	ssize_t len;
	*n = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = 0;
		list = realloc(list, (*n + 1) * sizeof *list);
		list[(*n)++] = strdup(line);
	}
	fclose(f);
	return list;
}

static void drop_privileges(void)
{
	if (uid < 0)
		return;
	if (setgroups(0, NULL) || setgid((gid_t)uid) || setuid((uid_t)uid))
		_exit(126);
}

/* The child: the program, as the sweep starts it. */
static void start(const char *prog, const char *out)
{
	int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int in = open("/dev/null", O_RDONLY);
	if (o < 0 || in < 0)
		_exit(126);
	setpgid(0, 0);
	dup2(in, 0);
	dup2(o, 1);
	dup2(o, 2);
	close(in);
	close(o);
	if (chdir(dir))
		_exit(126);
	drop_privileges();
	char *argv[] = { (char *)prog, "--version", NULL };
	execve(prog, argv, environ);
	dprintf(2, "sweep-run: %s: %s\n", prog, strerror(errno));
	_exit(127);
}

/* Wait for PID at most timeout_ms; then kill its group. */
static void finish(pid_t pid, const char *rcfile)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	struct timespec end, now;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += timeout_ms / 1000;
	end.tv_nsec += (timeout_ms % 1000) * 1000000;
	if (end.tv_nsec >= 1000000000) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000;
	}
	int status = 0, timed_out = 0;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long left = (end.tv_sec - now.tv_sec) * 1000000000L + (end.tv_nsec - now.tv_nsec);
		if (left <= 0) {
			timed_out = 1;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		struct timespec ts = { left / 1000000000L, left % 1000000000L };
		sigtimedwait(&set, NULL, &ts);
	}
	kill(-pid, SIGKILL);	/* what it left running */
	FILE *f = fopen(rcfile, "w");
	if (!f)
		die("write", rcfile);
	if (timed_out)
		fprintf(f, "timeout\n");
	else if (WIFSIGNALED(status))
		fprintf(f, "signal %d\n", WTERMSIG(status));
	else
		fprintf(f, "exit %d\n", WEXITSTATUS(status));
	fclose(f);
}

/* Worker W of jobs: lines W, W+jobs, ... */
static void worker(int w, char **list, int n, const char *outdir)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	char out[4096], rc[4096];
	for (int i = w; i < n; i += jobs) {
		snprintf(out, sizeof out, "%s/%d.out", outdir, i);
		snprintf(rc, sizeof rc, "%s/%d.rc", outdir, i);
		pid_t pid = fork();
		if (pid < 0)
			die("fork for", list[i]);
		if (pid == 0) {
			sigprocmask(SIG_UNBLOCK, &set, NULL);
			start(list[i], out);
		}
		finish(pid, rc);
	}
}

int main(int argc, char **argv)
{
	int i = 1;
	for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		const char *opt = argv[i], *val = argv[i + 1];
		if (strcmp(opt, "--jobs") == 0)
			jobs = atoi(val) > 0 ? atoi(val) : 1;
		else if (strcmp(opt, "--timeout") == 0)
			timeout_ms = atol(val);
		else if (strcmp(opt, "--user") == 0)
			uid = atol(val);
		else if (strcmp(opt, "--dir") == 0) {
			dir = val;
			if (mkdir(dir, 0755) && errno != EEXIST)
				die("mkdir", dir);
		} else if (strcmp(opt, "--private-dir") == 0) {
			char parent[4096];
			snprintf(parent, sizeof parent, "%s", val);
			char *slash = strrchr(parent, '/');
			if (slash && slash != parent) {
				*slash = 0;
				mkdir(parent, 0755);
			}
			if (mkdir(val, 0700) && errno != EEXIST)
				die("mkdir", val);
			if (uid >= 0 && chown(val, (uid_t)uid, (gid_t)uid))
				die("chown", val);
		} else {
			fprintf(stderr, "sweep-run: unknown option %s\n", opt);
			return 2;
		}
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: sweep-run [OPTION...] LIST OUTDIR\n");
		return 2;
	}
	int n;
	char **list = read_list(argv[i], &n);
	const char *outdir = argv[i + 1];
	for (int w = 0; w < jobs; w++)
		if (fork() == 0) {
			worker(w, list, n, outdir);
			_exit(0);
		}
	int status, bad = 0;
	while (wait(&status) > 0)
		bad |= !WIFEXITED(status) || WEXITSTATUS(status);
	return bad ? 2 : 0;
}
