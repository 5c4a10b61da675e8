/* A plugin the debuggee dlopen()s: gdb must list it and stop in it. */
int plugin_answer(void)
{
	return 42;
}
