/* libgone.so.1: linked against, then never installed, so that the real
 * ld.so reports it missing. */
int gone(void)
{
	return 42;
}
