/* libextra.so.1: opened with dlopen by soname only. */
const char *extra_who(void)
{
	return "extra from the store";
}
