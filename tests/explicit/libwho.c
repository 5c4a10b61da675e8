/* libwho.so.1: a library that only the Nix library path provides. Built
 * more than once; WHO names the copy, so the program can say which one
 * ld.so found. */
#ifndef WHO
#define WHO "unnamed"
#endif
const char *who(void)
{
	return WHO;
}
