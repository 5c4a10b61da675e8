/* libmid: needs libsub (a libfoo build), found through RUNPATH $ORIGIN/sub. */
const char *foo_version(void);
const char *mid(void) { return foo_version(); }
