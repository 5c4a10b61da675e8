/* libfoo.so.1 in several versions (VERSION), to see which one a program gets. */
const char *foo_version(void)
{
	return VERSION;
}
