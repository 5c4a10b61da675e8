/* The smallest rtld-audit module: what any LD_AUDIT costs under valgrind. */
unsigned int la_version(unsigned int v) { return v; }
