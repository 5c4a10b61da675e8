/* libgreet.so.1: a library a program finds only through a library path.
 * Built twice: GREET_WHO names the copy ("store", "good"), so the program
 * can say which one it got. */
#ifndef GREET_WHO
#define GREET_WHO "unnamed"
#endif
const char *greet_who(void)
{
	return GREET_WHO;
}
