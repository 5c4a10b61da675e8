/* ldshim-check: why won't this binary start? Options, the -r walk, the
 * exit code. See README.md. */
#define _GNU_SOURCE
#include "check.h"
#include "store.h"
#include "sysconf.h"
#include "util.h"

#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
	"usage: ldshim-check [options] FILE...\n"
	"       ldshim-check [options] -r DIR...\n"
	"Say whether each dynamic executable or shared library would start behind\n"
	"ldshim: interpreter, libraries found or missing, symbol versions.\n"
	"  -r, --recursive        check every ELF file under each DIR, then summarize\n"
	"      --json             one JSON document on stdout\n"
	"  -q, --quiet            verdict lines only\n"
	"  -v, --verbose          details for every file, also under -r\n"
	"The settings are ldshim's: the environment, the configuration files (a\n"
	"matching [program] or [build-id] section too), the built-in defaults;\n"
	"each option below stands for the variable it names.\n"
	"      --library-path DIRS  the Nix library path (NIX_LD_LIBRARY_PATH)\n"
	"      --mode fallback|override  where the Nix library path is searched:\n"
	"                         last (default), or after LD_LIBRARY_PATH as nix-ld\n"
	"                         does (NIX_LD_MODE)\n"
	"      --cache FILE       the library cache to check for the Nix library path\n"
	"                         (NIX_LD_LIBRARY_CACHE)\n"
	"      --system-config FILE  read FILE as the system configuration file\n"
	"                         (default: " CHECK_CONFIG_PATH ", as ldshim)\n"
	"      --arch ARCH        check for x86_64, i686, aarch64 or riscv64\n"
	"                         (default: this machine)\n"
	"      --store DIR        where to look for packages providing what is\n"
	"                         missing (default: /nix/store, if there is one)\n"
	"Exit status: 0 all fine, 1 problems found, 2 usage or I/O error.\n";

/* The files to check; tree[i]: found by -r rather than named. */
static char **files, *tree;
static size_t n_files, cap_files, cap_tree;

static void add_file(char *path, int in_tree)
{
	grow(&files, &cap_files, n_files + 1, sizeof *files);
	grow(&tree, &cap_tree, n_files + 1, 1);
	tree[n_files] = in_tree;
	files[n_files++] = path;
}

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_F && S_ISREG(st->st_mode)) {
		add_file(xstrdup(path), 1);
	} else if (type == FTW_DNR) {
		fprintf(stderr, "ldshim-check: %s: cannot read directory\n", path);
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int mode_ok(const char *s)
{
	return !strcmp(s, "fallback") || !strcmp(s, "override");
}

int main(int argc, char **argv)
{
	enum { O_JSON = 256, O_LIBPATH, O_MODE, O_ARCH, O_STORE, O_CACHE, O_SYSCONF };
	static const struct option opts[] = {
		{ "recursive", no_argument, 0, 'r' },
		{ "json", no_argument, 0, O_JSON },
		{ "quiet", no_argument, 0, 'q' },
		{ "verbose", no_argument, 0, 'v' },
		{ "library-path", required_argument, 0, O_LIBPATH },
		{ "mode", required_argument, 0, O_MODE },
		{ "arch", required_argument, 0, O_ARCH },
		{ "store", required_argument, 0, O_STORE },
		{ "cache", required_argument, 0, O_CACHE },
		{ "system-config", required_argument, 0, O_SYSCONF },
		{ "help", no_argument, 0, 'h' },
		{ 0 },
	};
	struct config c = { .mode = 0 };
	const char *env_mode = getenv("NIX_LD_MODE");
	if (env_mode && *env_mode && !mode_ok(env_mode)) {
		fprintf(stderr, "ldshim-check: NIX_LD_MODE=%s: expected fallback or override\n", env_mode);
		return 2;
	}
	int opt;
	while ((opt = getopt_long(argc, argv, "rqvh", opts, 0)) != -1) {
		switch (opt) {
		case 'r': c.recursive = 1; break;
		case 'q': c.quiet = 1; break;
		case 'v': c.verbose = 1; break;
		case O_JSON: c.json = 1; break;
		case O_LIBPATH: c.library_path = optarg; break;
		case O_CACHE:
			if (!*optarg) {
				fprintf(stderr, "ldshim-check: --cache: expected a file\n");
				return 2;
			}
			c.cache = optarg;
			break;
		case O_SYSCONF:
			sysconf_set(optarg);
			break;
		case O_MODE:
			c.mode = optarg;
			if (!mode_ok(optarg)) {
				fprintf(stderr, "ldshim-check: --mode %s: expected fallback or override\n", optarg);
				return 2;
			}
			break;
		case O_ARCH:
			if (!check_arch_known(optarg)) {
				fprintf(stderr, "ldshim-check: --arch %s: expected x86_64, i686, aarch64 or riscv64\n", optarg);
				return 2;
			}
			c.arch = optarg;
			break;
		case O_STORE:
			if (store_set(optarg, 1)) {
				fprintf(stderr, "ldshim-check: --store %s: %s\n", optarg, strerror(errno));
				return 2;
			}
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind == argc) {
		fputs(usage, stderr);
		return 2;
	}

	/* Named files in order; trees sorted, so output is reproducible. */
	int rc = 0;
	unsigned counts[ST_SKIP + 1] = { 0 };
	for (int i = optind; i < argc; i++) {
		struct stat st;
		if (c.recursive && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			size_t from = n_files;
			if (nftw(argv[i], collect, 32, FTW_PHYS) != 0) {
				fprintf(stderr, "ldshim-check: %s: %s\n", argv[i], strerror(errno));
				rc = 2;
			}
			/* Sort the walk's files, keeping their flags (all 1). */
			qsort(files + from, n_files - from, sizeof *files, by_name);
		} else {
			add_file(argv[i], 0);
		}
	}

	if (c.json)
		printf("{\"files\": [");
	int first = 1;
	for (size_t i = 0; i < n_files; i++) {
		int in_tree = tree[i];
		enum status st = check_file(&c, files[i], in_tree, first);
		counts[st]++;
		if (st != ST_SKIP)
			first = 0;
		int code = st == ST_IO ? 2 :
			   st == ST_PROBLEMS || st == ST_NOT_ELF || st == ST_BAD ? 1 :
			   st == ST_WRONG_ARCH && !in_tree ? 1 : 0;
		if (code > rc)
			rc = code;
	}
	if (c.json)
		printf("\n  ]");
	if (c.recursive)
		summary_print(&c, counts);
	if (c.json)
		printf("}\n");
	if (fflush(stdout) != 0)
		rc = 2;
	return rc;
}
