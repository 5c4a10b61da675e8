/* libver.so.1: which copy of the library was loaded. */
const char *libver(void) { return VERSION; }
