/* bench/driver: start programs many times and compare their start-up cost.
 *
 *   driver [options] NAME=PROGRAM...
 *
 * Each NAME=PROGRAM is a variant: the same program linked with a different
 * interpreter (PT_INTERP). The first variant is the baseline. Every round
 * starts each variant once, in a new random order each round, so whatever
 * else the machine is doing hits all variants alike. With -s
 * the variants are crossed with environment sizes, and a round starts every
 * (size, variant) case.
 *
 * One start is timed from just before posix_spawn to the return of wait4
 * (CLOCK_MONOTONIC); its page faults come from wait4's rusage. Noise-free
 * counts come from separate runs: syscalls from the raw_syscalls:sys_enter
 * tracepoint through perf_event_open (no ptrace), enabled at exec, and the
 * "key: number" lines a probe program prints (-k).
 *
 * The environment of every start is exactly: the variant's own -V
 * variables, the -E variables, then the generated ones (-e/-s, -l);
 * nothing is inherited. Output: a table on stdout,
 * and with -j a JSON object (one line) appended to a file.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <math.h>
#include <sched.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_VARIANTS 8
#define MAX_SIZES    16
#define MAX_KEYS     16
#define BOOT_SAMPLES 2000

struct variant {
	const char *name, *prog;
	const char *env[8];    /* -V: variables only this variant gets, first */
	int nenv;
	char interp[4096];
};

/* One (environment size, variant) pair, and what was measured for it. */
struct kcase {
	int size, var;
	char **envp;
	double *us;            /* per measured round */
	long *minflt;          /* per measured round */
	double syscalls;       /* median over count runs; -1: not counted */
	double keys[MAX_KEYS]; /* median of each probe key */
	char *output;          /* stdout of the check run */
};

static struct {
	const char *label, *json, *plot;
	int warmup, min_rounds, max_rounds, count_runs, probe_runs;
	double seconds;
	int check_output;
	long ldpath_bytes;
	const char *extra_env[64];
	int nextra;
	const char *pairs[8];      /* -P A:B, paired comparisons besides the baseline */
	int npairs;
} opt = { "bench", 0, 0, 20, 50, 1000, 5, 0, 30.0, 0, 0, {0}, 0, {0}, 0 };

static struct variant var[MAX_VARIANTS];
static int nvar;
static long sizes[MAX_SIZES] = { 0 };
static int nsizes = 1;
static struct kcase *cases;
static int ncases, rounds;
static char *key_names[MAX_KEYS];
static int nkeys;
static int devnull;

static void fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("driver: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static void *xmalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);
	if (!p)
		fatal("out of memory");
	return p;
}

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* ---- statistics ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Quantile q of n values (sorted copy, linear interpolation). */
static double quantile(const double *v, int n, double q)
{
	if (n == 0)
		return NAN;
	double *s = xmalloc(n * sizeof *s);
	memcpy(s, v, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_double);
	double pos = q * (n - 1);
	int i = (int)pos;
	double r = i + 1 < n ? s[i] + (pos - i) * (s[i + 1] - s[i]) : s[i];
	free(s);
	return r;
}

static double median(const double *v, int n) { return quantile(v, n, 0.5); }

/* A fixed-seed generator: the same data give the same intervals. */
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)((rng >> 11) % n);
}

/* Paired bootstrap over rounds: resample round indices, the same for both
 * cases, and take the ratio of medians and the median of the per-round
 * differences. Returns the 2.5% and 97.5% points of each. */
static void bootstrap(const double *a, const double *b, int n,
                      double ratio_ci[2], double diff_ci[2])
{
	double *ra = xmalloc(n * sizeof *ra), *rb = xmalloc(n * sizeof *rb);
	double *rd = xmalloc(n * sizeof *rd);
	double *ratio = xmalloc(BOOT_SAMPLES * sizeof *ratio);
	double *diff = xmalloc(BOOT_SAMPLES * sizeof *diff);
	for (int s = 0; s < BOOT_SAMPLES; s++) {
		for (int i = 0; i < n; i++) {
			int k = rnd(n);
			ra[i] = a[k];
			rb[i] = b[k];
			rd[i] = a[k] - b[k];
		}
		ratio[s] = median(ra, n) / median(rb, n);
		diff[s] = median(rd, n);
	}
	ratio_ci[0] = quantile(ratio, BOOT_SAMPLES, 0.025);
	ratio_ci[1] = quantile(ratio, BOOT_SAMPLES, 0.975);
	diff_ci[0] = quantile(diff, BOOT_SAMPLES, 0.025);
	diff_ci[1] = quantile(diff, BOOT_SAMPLES, 0.975);
	free(ra); free(rb); free(rd); free(ratio); free(diff);
}

/* Least squares y = a + b x. */
static void linfit(const double *x, const double *y, int n, double *a, double *b)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	for (int i = 0; i < n; i++) {
		sx += x[i]; sy += y[i]; sxx += x[i] * x[i]; sxy += x[i] * y[i];
	}
	double d = n * sxx - sx * sx;
	*b = d != 0 ? (n * sxy - sx * sy) / d : NAN;
	*a = (sy - *b * sx) / n;
}

/* ---- programs and their interpreters ---- */

static void read_interp(struct variant *v)
{
	int fd = open(v->prog, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fatal("%s: %s", v->prog, strerror(errno));
	Elf64_Ehdr e;
	if (pread(fd, &e, sizeof e, 0) != sizeof e || memcmp(e.e_ident, ELFMAG, SELFMAG) ||
	    e.e_ident[EI_CLASS] != ELFCLASS64)
		fatal("%s: not a 64-bit ELF file", v->prog);
	v->interp[0] = 0;
	for (int i = 0; i < e.e_phnum; i++) {
		Elf64_Phdr p;
		if (pread(fd, &p, sizeof p, e.e_phoff + i * sizeof p) != sizeof p)
			fatal("%s: truncated program headers", v->prog);
		if (p.p_type == PT_INTERP && p.p_filesz < sizeof v->interp) {
			if (pread(fd, v->interp, p.p_filesz, p.p_offset) != (ssize_t)p.p_filesz)
				fatal("%s: truncated PT_INTERP", v->prog);
			v->interp[p.p_filesz] = 0;
		}
	}
	close(fd);
}

/* Size of a file and of what a loader maps of it. */
struct elfsize { long file, loads, filesz, memsz, pages; };

static int elf_size(const char *path, struct elfsize *z)
{
	memset(z, 0, sizeof *z);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	Elf64_Ehdr e;
	if (fstat(fd, &st) || pread(fd, &e, sizeof e, 0) != sizeof e) {
		close(fd);
		return -1;
	}
	z->file = st.st_size;
	for (int i = 0; i < e.e_phnum; i++) {
		Elf64_Phdr p;
		if (pread(fd, &p, sizeof p, e.e_phoff + i * sizeof p) != sizeof p)
			break;
		if (p.p_type != PT_LOAD)
			continue;
		z->loads++;
		z->filesz += p.p_filesz;
		z->memsz += p.p_memsz;
		uint64_t lo = p.p_vaddr & ~4095ull, hi = (p.p_vaddr + p.p_memsz + 4095) & ~4095ull;
		z->pages += (hi - lo) / 4096;
	}
	close(fd);
	return 0;
}

/* ---- environments ---- */

static char *generated;   /* "E000000=x" ... , 10 bytes each */

static char **make_env(long nvars, const struct variant *v)
{
	long n = v->nenv + opt.nextra + nvars + (opt.ldpath_bytes > 0) + 1;
	char **env = xmalloc(n * sizeof *env), **e = env;
	for (int i = 0; i < v->nenv; i++)
		*e++ = (char *)v->env[i];
	for (int i = 0; i < opt.nextra; i++)
		*e++ = (char *)opt.extra_env[i];
	/* Short, distinct names, like a large but ordinary environment. */
	for (long i = 0; i < nvars; i++)
		*e++ = generated + 10 * i;
	if (opt.ldpath_bytes > 0) {
		/* Directories of about 1 KB that do not exist: the loaders copy
		 * and parse 100 KB, ld.so tries about a hundred directories. */
		long want = opt.ldpath_bytes;
		char *s = xmalloc(16 + want + 64), *p = s;
		p += sprintf(p, "LD_LIBRARY_PATH=");
		for (int d = 0; p - s - 16 < want; d++) {
			if (d)
				*p++ = ':';
			p += sprintf(p, "/nonexistent/%04d/", d);
			while (p - s - 16 < want && (p - s - 16) % 1024 != 1023)
				*p++ = 'd';
		}
		s[16 + want] = 0;  /* exactly `want` bytes of value */
		if (s[16 + want - 1] == ':')
			s[16 + want - 1] = 'd';
		*e++ = s;
	}
	*e = 0;
	return env;
}

/* ---- starting programs ---- */

static void spawn_fail(const char *prog, int err)
{
	fatal("%s: cannot start: %s", prog, strerror(err));
}

/* One timed start; stdout and stdin are /dev/null. */
static double run_timed(struct kcase *c, long *minflt)
{
	const char *prog = var[c->var].prog;
	char *argv[] = { (char *)prog, 0 };
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, devnull, 0);
	posix_spawn_file_actions_adddup2(&fa, devnull, 1);
	pid_t pid;
	struct rusage ru;
	int st;
	double t0 = now_us();
	int r = posix_spawn(&pid, prog, &fa, 0, argv, c->envp);
	if (r)
		spawn_fail(prog, r);
	if (wait4(pid, &st, 0, &ru) != pid)
		fatal("wait4: %s", strerror(errno));
	double t1 = now_us();
	posix_spawn_file_actions_destroy(&fa);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fatal("%s (%s, %ld variables) failed: status 0x%x", prog,
		      var[c->var].name, sizes[c->size], st);
	*minflt = ru.ru_minflt;
	return t1 - t0;
}

static int perf_open(pid_t pid, long tp_id)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof a);
	a.size = sizeof a;
	a.type = PERF_TYPE_TRACEPOINT;
	a.config = tp_id;
	a.disabled = 1;
	a.enable_on_exec = 1;
	a.exclude_kernel = 0;
	return (int)syscall(SYS_perf_event_open, &a, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

/* Why the syscall column is empty, once known ("" while syscalls count). */
static char syscalls_why[512];

static void syscalls_not_counted(const char *fmt, ...)
{
	if (syscalls_why[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(syscalls_why, sizeof syscalls_why, fmt, ap);
	va_end(ap);
}

#define TRACEFS "/sys/kernel/tracing"
#define SYS_ENTER_ID "/events/raw_syscalls/sys_enter/id"

static long read_id(const char *path)
{
	FILE *f = fopen(path, "r");
	long id;
	if (!f)
		return -1;
	int ok = fscanf(f, "%ld", &id) == 1;
	fclose(f);
	if (!ok)
		errno = EINVAL;
	return ok ? id : -1;
}

/* The raw_syscalls:sys_enter tracepoint's id, read from tracefs. Nothing
 * mounts tracefs on a machine without systemd (/sys/kernel/tracing is an
 * empty directory): then a child mounts it in a mount namespace of its
 * own, reads the id (one number for the whole kernel) and exits, and the
 * namespace goes with it. The machine's mounts stay as they were, and a
 * run killed half-way leaves nothing behind. */
static long tracepoint_id(void)
{
	long id = read_id(TRACEFS SYS_ENTER_ID);
	int err = errno;
	if (id < 0)
		id = read_id("/sys/kernel/debug/tracing" SYS_ENTER_ID);
	if (id >= 0)
		return id;
	if (err != ENOENT) {
		syscalls_not_counted("no raw_syscalls:sys_enter tracepoint id: "
		                     TRACEFS SYS_ENTER_ID ": %s", strerror(err));
		return -1;
	}
	int p[2];
	if (pipe2(p, O_CLOEXEC))
		fatal("pipe: %s", strerror(errno));
	fflush(0);
	pid_t pid = fork();
	if (pid < 0)
		fatal("fork: %s", strerror(errno));
	if (pid == 0) {
		char msg[256];
		const char *step = 0;
		/* Private, so that the mount reaches no other namespace: / is
		 * no mount point in a chroot, /sys then is. */
		if (unshare(CLONE_NEWNS))
			step = "unshare(CLONE_NEWNS)";
		else if (mount(0, "/", 0, MS_REC | MS_PRIVATE, 0) &&
			 mount(0, "/sys", 0, MS_REC | MS_PRIVATE, 0))
			step = "making /sys private";
		else if (mount("nodev", TRACEFS, "tracefs", 0, 0))
			step = "mount -t tracefs nodev " TRACEFS;
		if (step) {
			snprintf(msg, sizeof msg, "tracefs is not mounted, and %s in a"
			         " private mount namespace failed: %s%s", step,
			         strerror(errno), errno == EPERM ? " (needs root)" : "");
		} else {
			long got = read_id(TRACEFS SYS_ENTER_ID);
			if (got >= 0)
				snprintf(msg, sizeof msg, "%ld", got);
			else
				snprintf(msg, sizeof msg, "tracefs has no " SYS_ENTER_ID
				         " (a kernel without syscall tracepoints)");
		}
		ssize_t n = write(p[1], msg, strlen(msg));
		_exit(n < 0);
	}
	close(p[1]);
	char buf[256];
	ssize_t n = read(p[0], buf, sizeof buf - 1);
	close(p[0]);
	waitpid(pid, 0, 0);
	buf[n > 0 ? n : 0] = 0;
	char *end;
	id = strtol(buf, &end, 10);
	if (n > 0 && !*end)
		return id;
	syscalls_not_counted("no raw_syscalls:sys_enter tracepoint id: %s",
	                     n > 0 ? buf : "the tracefs helper said nothing");
	return -1;
}

/* One untimed start: the child waits on a pipe until the parent has
 * attached the syscall counter (tp_id >= 0), then execs. With out set,
 * stdout is captured. Returns the syscall count, or -1. */
static long run_counted(struct kcase *c, long tp_id, char **out)
{
	const char *prog = var[c->var].prog;
	int go[2], res[2];
	if (pipe2(go, O_CLOEXEC) || pipe2(res, O_CLOEXEC))
		fatal("pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0)
		fatal("fork: %s", strerror(errno));
	if (pid == 0) {
		char b;
		close(go[1]);
		if (read(go[0], &b, 1) != 1)
			_exit(126);
		dup2(devnull, 0);
		dup2(out ? res[1] : devnull, 1);
		char *argv[] = { (char *)prog, 0 };
		execve(prog, argv, c->envp);
		_exit(127);
	}
	close(go[0]);
	close(res[1]);
	int fd = tp_id >= 0 ? perf_open(pid, tp_id) : -1;
	if (tp_id >= 0 && fd < 0) {
		int err = errno;
		long paranoid = read_id("/proc/sys/kernel/perf_event_paranoid");
		syscalls_not_counted("perf_event_open of raw_syscalls:sys_enter: %s"
		                     " (kernel.perf_event_paranoid=%ld)", strerror(err),
		                     paranoid);
	}
	if (write(go[1], "g", 1) != 1)
		fatal("pipe write: %s", strerror(errno));
	close(go[1]);
	size_t len = 0, cap = 4096;
	char *buf = xmalloc(cap);
	ssize_t n;
	while ((n = read(res[0], buf + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 2)
			buf = realloc(buf, cap *= 2);
		if (!buf)
			fatal("out of memory");
	}
	buf[len] = 0;
	close(res[0]);
	int st;
	if (waitpid(pid, &st, 0) != pid)
		fatal("waitpid: %s", strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fatal("%s (%s) failed: status 0x%x", prog, var[c->var].name, st);
	long count = -1;
	if (fd >= 0) {
		uint64_t v;
		if (read(fd, &v, sizeof v) == sizeof v)
			count = (long)v;
		close(fd);
	}
	if (out)
		*out = buf;
	else
		free(buf);
	return count;
}

static int key_index(const char *name)
{
	for (int i = 0; i < nkeys; i++)
		if (!strcmp(key_names[i], name))
			return i;
	if (nkeys == MAX_KEYS)
		return -1;
	key_names[nkeys] = strdup(name);
	return nkeys++;
}

/* "Name: 123 kB" lines of a probe's output, into vals[key]. */
static void parse_keys(const char *s, double *vals)
{
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char line[256], name[64];
		double v;
		if (len < sizeof line) {
			memcpy(line, s, len);
			line[len] = 0;
			if (sscanf(line, "%63[A-Za-z_]: %lf", name, &v) == 2) {
				int k = key_index(name);
				if (k >= 0)
					vals[k] = v;
			}
		}
		s += len + (nl != 0);
	}
}

/* ---- output ---- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void json_num(FILE *f, double v)
{
	if (isnan(v) || isinf(v))
		fputs("null", f);
	else
		fprintf(f, "%.6g", v);
}

static struct kcase *find_case(int size, int v)
{
	return &cases[size * nvar + v];
}

static int variant_index(const char *name, size_t len)
{
	for (int v = 0; v < nvar; v++)
		if (strlen(var[v].name) == len && !strncmp(var[v].name, name, len))
			return v;
	fatal("-P %.*s: no such variant", (int)len, name);
	return -1;
}

/* -P A:B: A against B as against the baseline, round by round (same
 * rounds, so the noise of a round cancels): the ratio of the medians and
 * the median of the per-round differences, each with its bootstrap
 * interval, at every environment size. */
static void paired_lines(void)
{
	for (int i = 0; i < opt.npairs; i++) {
		const char *colon = strchr(opt.pairs[i], ':');
		if (!colon)
			fatal("-P %s: want NAME:NAME", opt.pairs[i]);
		int a = variant_index(opt.pairs[i], colon - opt.pairs[i]);
		int b = variant_index(colon + 1, strlen(colon + 1));
		for (int s = 0; s < nsizes && rounds > 1; s++) {
			struct kcase *ka = find_case(s, a), *kb = find_case(s, b);
			double rci[2], dci[2], *d = xmalloc(rounds * sizeof *d);
			for (int r = 0; r < rounds; r++)
				d[r] = ka->us[r] - kb->us[r];
			double diff = median(d, rounds);
			free(d);
			bootstrap(ka->us, kb->us, rounds, rci, dci);
			printf("%-10s paired %s vs %s (%ld vars): ratio %.3f [%.3f, %.3f] %+.1f us [%+.1f, %+.1f]\n",
			       opt.label, var[a].name, var[b].name, sizes[s],
			       median(ka->us, rounds) / median(kb->us, rounds), rci[0], rci[1],
			       diff, dci[0], dci[1]);
		}
	}
}

static void usage(void)
{
	fputs("usage: driver [-L label] [-w warmup] [-m min-rounds] [-n max-rounds]\n"
	      "              [-t seconds] [-e nvars | -s n1,n2,...] [-l ldpath-bytes]\n"
	      "              [-E NAME=VALUE]... [-V VARIANT:NAME=VALUE]... [-c count-runs] [-k probe-runs] [-o]\n"
	      "              [-j json-file] [-p plot-data-file] [-P NAME:NAME]... NAME=PROGRAM...\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	int c;
	const char *venv[64];
	int nvenv = 0;
	while ((c = getopt(argc, argv, "L:w:m:n:t:e:s:l:E:V:c:k:oj:p:P:")) != -1) {
		switch (c) {
		case 'L': opt.label = optarg; break;
		case 'w': opt.warmup = atoi(optarg); break;
		case 'm': opt.min_rounds = atoi(optarg); break;
		case 'n': opt.max_rounds = atoi(optarg); break;
		case 't': opt.seconds = atof(optarg); break;
		case 'e': sizes[0] = atol(optarg); nsizes = 1; break;
		case 's':
			nsizes = 0;
			for (char *p = optarg; *p && nsizes < MAX_SIZES;) {
				sizes[nsizes++] = strtol(p, &p, 10);
				if (*p == ',')
					p++;
			}
			break;
		case 'l': opt.ldpath_bytes = atol(optarg); break;
		case 'E':
			if (opt.nextra == 64)
				fatal("too many -E");
			opt.extra_env[opt.nextra++] = optarg;
			break;
		case 'V':
			if (nvenv == 64)
				fatal("too many -V");
			venv[nvenv++] = optarg;
			break;
		case 'c': opt.count_runs = atoi(optarg); break;
		case 'k': opt.probe_runs = atoi(optarg); break;
		case 'o': opt.check_output = 1; break;
		case 'j': opt.json = optarg; break;
		case 'p': opt.plot = optarg; break;
		case 'P':
			if (opt.npairs == 8)
				fatal("too many -P");
			opt.pairs[opt.npairs++] = optarg;
			break;
		default: usage();
		}
	}
	for (int i = optind; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq || nvar == MAX_VARIANTS)
			usage();
		*eq = 0;
		var[nvar].name = argv[i];
		var[nvar].prog = eq + 1;
		read_interp(&var[nvar]);
		nvar++;
	}
	if (nvar == 0)
		usage();
	for (int i = 0; i < nvenv; i++) {
		const char *colon = strchr(venv[i], ':');
		int v;
		for (v = 0; v < nvar; v++)
			if (colon && strlen(var[v].name) == (size_t)(colon - venv[i]) &&
			    !strncmp(var[v].name, venv[i], colon - venv[i]))
				break;
		if (v == nvar)
			fatal("-V %s: no such variant", venv[i]);
		if (var[v].nenv == 8)
			fatal("too many -V for %s", var[v].name);
		var[v].env[var[v].nenv++] = colon + 1;
	}
	if (opt.min_rounds > opt.max_rounds)
		opt.min_rounds = opt.max_rounds;
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0)
		fatal("/dev/null: %s", strerror(errno));

	long most = 0;
	for (int s = 0; s < nsizes; s++)
		most = sizes[s] > most ? sizes[s] : most;
	if (most > 999999)
		fatal("at most 999999 generated variables");
	generated = xmalloc(most * 10);
	for (long i = 0; i < most; i++)
		snprintf(generated + 10 * i, 10, "E%06ld=x", i);
	ncases = nsizes * nvar;
	cases = xmalloc(ncases * sizeof *cases);
	for (int s = 0; s < nsizes; s++) {
		for (int v = 0; v < nvar; v++) {
			struct kcase *k = find_case(s, v);
			k->size = s;
			k->var = v;
			k->envp = make_env(sizes[s], &var[v]);
			k->us = xmalloc(opt.max_rounds * sizeof *k->us);
			k->minflt = xmalloc(opt.max_rounds * sizeof *k->minflt);
			k->syscalls = -1;
			for (int j = 0; j < MAX_KEYS; j++)
				k->keys[j] = NAN;
		}
	}

	/* Untimed runs first: a variant that fails or prints something else
	 * must not be timed (a loader that dies early looks fast). */
	long tp = opt.count_runs > 0 ? tracepoint_id() : -1;
	for (int i = 0; i < ncases; i++) {
		struct kcase *k = &cases[i];
		run_counted(k, -1, opt.check_output ? &k->output : 0);
		if (opt.check_output) {
			struct kcase *b = find_case(k->size, 0);
			if (strcmp(k->output, b->output))
				fatal("%s prints something else than %s", var[k->var].name,
				      var[0].name);
		}
		if (tp >= 0) {
			double *n = xmalloc(opt.count_runs * sizeof *n);
			int got = 0;
			for (int r = 0; r < opt.count_runs; r++) {
				long v = run_counted(k, tp, 0);
				if (v >= 0)
					n[got++] = v;
			}
			k->syscalls = got ? median(n, got) : -1;
			free(n);
		}
		if (opt.probe_runs > 0) {
			double vals[MAX_KEYS][64];
			int runs = opt.probe_runs > 64 ? 64 : opt.probe_runs;
			for (int r = 0; r < runs; r++) {
				char *out;
				double one[MAX_KEYS];
				for (int j = 0; j < MAX_KEYS; j++)
					one[j] = NAN;
				run_counted(k, -1, &out);
				parse_keys(out, one);
				free(out);
				for (int j = 0; j < MAX_KEYS; j++)
					vals[j][r] = one[j];
			}
			for (int j = 0; j < nkeys; j++)
				k->keys[j] = median(vals[j], runs);
		}
	}

	/* Timed rounds, each in a new random order: no case is always first,
	 * none always follows the same other one (a start with a large
	 * environment slows the next one down). */
	int *order = xmalloc(ncases * sizeof *order);
	for (int i = 0; i < ncases; i++)
		order[i] = i;
	double start = now_us();
	long dummy;
	for (int r = -opt.warmup; r < opt.max_rounds; r++) {
		if (r >= opt.min_rounds && now_us() - start > opt.seconds * 1e6)
			break;
		for (int i = ncases - 1; i > 0; i--) {
			int k = rnd(i + 1), t = order[i];
			order[i] = order[k];
			order[k] = t;
		}
		for (int i = 0; i < ncases; i++) {
			struct kcase *k = &cases[order[i]];
			if (r < 0)
				run_timed(k, &dummy);
			else
				k->us[r] = run_timed(k, &k->minflt[r]);
		}
		if (r == -1)
			start = now_us();
		rounds = r + 1;
	}
	if (rounds < 0)
		rounds = 0;
	double elapsed = (now_us() - start) / 1e6;

	/* Table. */
	printf("%-10s %-15s %7s %9s %9s %9s %7s %8s %6s  %s\n", "workload", "variant",
	       "vars", "min_us", "med_us", "p90_us", "faults", "syscalls", "ratio",
	       "ratio 95% CI / +us (95% CI)");
	FILE *j = 0;
	if (opt.json && !(j = fopen(opt.json, "a")))
		fatal("%s: %s", opt.json, strerror(errno));
	if (j) {
		fputs("{\"workload\":", j);
		json_str(j, opt.label);
		fprintf(j, ",\"rounds\":%d,\"warmup\":%d,\"seconds\":%.1f,\"ldpath_bytes\":%ld,"
		        "\"extra_env\":[", rounds, opt.warmup, elapsed, opt.ldpath_bytes);
		for (int i = 0; i < opt.nextra; i++) {
			if (i)
				fputc(',', j);
			json_str(j, opt.extra_env[i]);
		}
		fputs("],\"variants\":[", j);
		for (int v = 0; v < nvar; v++) {
			struct elfsize z;
			int ok = elf_size(var[v].interp, &z) == 0;
			fprintf(j, "%s{\"name\":", v ? "," : "");
			json_str(j, var[v].name);
			fputs(",\"program\":", j);
			json_str(j, var[v].prog);
			fputs(",\"interp\":", j);
			json_str(j, var[v].interp);
			if (ok)
				fprintf(j, ",\"interp_file_bytes\":%ld,\"interp_pt_load\":%ld,"
				        "\"interp_load_filesz\":%ld,\"interp_load_memsz\":%ld,"
				        "\"interp_load_pages\":%ld", z.file, z.loads, z.filesz,
				        z.memsz, z.pages);
			fputc('}', j);
		}
		fputs("],\"cases\":[", j);
	}
	for (int i = 0; i < ncases; i++) {
		struct kcase *k = &cases[i];
		struct kcase *b = find_case(k->size, 0);
		double fl[rounds ? rounds : 1];
		for (int r = 0; r < rounds; r++)
			fl[r] = k->minflt[r];
		double mn = quantile(k->us, rounds, 0), med = median(k->us, rounds);
		double p90 = quantile(k->us, rounds, 0.9), faults = median(fl, rounds);
		double ratio = med / median(b->us, rounds), rci[2] = { NAN, NAN };
		double dci[2] = { NAN, NAN }, diff = NAN;
		if (k != b && rounds > 1) {
			double *d = xmalloc(rounds * sizeof *d);
			for (int r = 0; r < rounds; r++)
				d[r] = k->us[r] - b->us[r];
			diff = median(d, rounds);
			free(d);
			bootstrap(k->us, b->us, rounds, rci, dci);
		}
		char sc[32] = "-";
		if (k->syscalls >= 0)
			snprintf(sc, sizeof sc, "%.0f", k->syscalls);
		printf("%-10s %-15s %7ld %9.1f %9.1f %9.1f %7.0f %8s %6.3f", opt.label,
		       var[k->var].name, sizes[k->size], mn, med, p90, faults, sc, ratio);
		if (k != b && rounds > 1)
			printf("  [%.3f, %.3f] %+.1f [%+.1f, %+.1f]", rci[0], rci[1], diff,
			       dci[0], dci[1]);
		for (int q = 0; q < nkeys; q++)
			printf(" %s=%g", key_names[q], k->keys[q]);
		putchar('\n');
		if (j) {
			fprintf(j, "%s{\"variant\":", i ? "," : "");
			json_str(j, var[k->var].name);
			fprintf(j, ",\"env_vars\":%ld,\"min_us\":", sizes[k->size]);
			json_num(j, mn);
			fputs(",\"median_us\":", j); json_num(j, med);
			fputs(",\"p90_us\":", j); json_num(j, p90);
			fputs(",\"minflt_median\":", j); json_num(j, faults);
			fputs(",\"syscalls\":", j);
			json_num(j, k->syscalls >= 0 ? k->syscalls : NAN);
			fputs(",\"ratio\":", j); json_num(j, ratio);
			fputs(",\"ratio_ci95\":[", j); json_num(j, rci[0]);
			fputc(',', j); json_num(j, rci[1]);
			fputs("],\"diff_us\":", j); json_num(j, diff);
			fputs(",\"diff_ci95\":[", j); json_num(j, dci[0]);
			fputc(',', j); json_num(j, dci[1]);
			fputs("],\"probe\":{", j);
			for (int q = 0; q < nkeys; q++) {
				if (q)
					fputc(',', j);
				json_str(j, key_names[q]);
				fputc(':', j);
				json_num(j, k->keys[q]);
			}
			fputs("}}", j);
		}
	}

	/* Cost per 1,000 variables: a straight line through the medians. */
	if (nsizes > 1) {
		FILE *pf = 0;
		if (opt.plot && !(pf = fopen(opt.plot, "w")))
			fatal("%s: %s", opt.plot, strerror(errno));
		if (pf) {
			fputs("# vars", pf);
			for (int v = 0; v < nvar; v++)
				fprintf(pf, " %s_median_us", var[v].name);
			for (int v = 1; v < nvar; v++)
				fprintf(pf, " %s_ratio %s_diff_us", var[v].name, var[v].name);
			fputc('\n', pf);
			for (int s = 0; s < nsizes; s++) {
				fprintf(pf, "%ld", sizes[s]);
				double base = median(find_case(s, 0)->us, rounds);
				for (int v = 0; v < nvar; v++)
					fprintf(pf, " %.2f", median(find_case(s, v)->us, rounds));
				for (int v = 1; v < nvar; v++) {
					double m = median(find_case(s, v)->us, rounds);
					fprintf(pf, " %.4f %.2f", m / base, m - base);
				}
				fputc('\n', pf);
			}
			fclose(pf);
		}
		if (j)
			fputs("],\"fit\":[", j);
		printf("%-10s linear fit of the median over %d sizes:\n", opt.label, nsizes);
		double x[MAX_SIZES], y[MAX_SIZES];
		for (int v = 0; v < nvar; v++) {
			for (int s = 0; s < nsizes; s++) {
				x[s] = sizes[s];
				y[s] = median(find_case(s, v)->us, rounds);
			}
			double a, sl, da = NAN, dsl = NAN;
			linfit(x, y, nsizes, &a, &sl);
			if (v > 0) {
				for (int s = 0; s < nsizes; s++)
					y[s] -= median(find_case(s, 0)->us, rounds);
				linfit(x, y, nsizes, &da, &dsl);
			}
			printf("%-10s %-15s %8.2f us per 1000 vars (intercept %.1f us)", "",
			       var[v].name, sl * 1000, a);
			if (v > 0)
				printf("; over %s: %+.2f us per 1000 vars (%+.1f us at 0)",
				       var[0].name, dsl * 1000, da);
			putchar('\n');
			if (j) {
				fprintf(j, "%s{\"variant\":", v ? "," : "");
				json_str(j, var[v].name);
				fputs(",\"us_per_1000_vars\":", j); json_num(j, sl * 1000);
				fputs(",\"intercept_us\":", j); json_num(j, a);
				fputs(",\"extra_us_per_1000_vars\":", j); json_num(j, dsl * 1000);
				fputs(",\"extra_intercept_us\":", j); json_num(j, da);
				fputc('}', j);
			}
		}
	}
	paired_lines();
	for (int v = 0; v < nvar; v++) {
		struct elfsize z;
		if (elf_size(var[v].interp, &z) == 0)
			printf("%-10s interp %-15s %s: %ld bytes, %ld PT_LOAD, %ld bytes mapped"
			       " from the file, %ld pages\n", opt.label, var[v].name,
			       var[v].interp, z.file, z.loads, z.filesz, z.pages);
	}
	if (syscalls_why[0])
		printf("%-10s syscalls not counted: %s\n", opt.label, syscalls_why);
	printf("%-10s %d rounds in %.1f s\n", opt.label, rounds, elapsed);
	if (j) {
		fputs("],\"syscalls_not_counted\":", j);
		if (syscalls_why[0])
			json_str(j, syscalls_why);
		else
			fputs("null", j);
		fputs("}\n", j);
		fclose(j);
	}
	return 0;
}
