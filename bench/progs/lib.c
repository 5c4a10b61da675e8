/* One of the generated libraries: built with -DN=<number>. */
#define CAT(a, b) a##b
#define NAME(n) CAT(bench_lib, n)
int NAME(N)(void) { return 1; }
