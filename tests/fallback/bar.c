/* libbar.so.1 (in the Nix path) needs libfoo.so.1 (also in the Nix path). */
const char *foo_version(void);
const char *bar_version(void)
{
	return foo_version();
}
