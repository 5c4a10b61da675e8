/* The many-directories workload: main calls one function from each of 30
 * libraries, each in a directory of its own (a dev shell's
 * makeLibraryPath of 30 packages), so each is a DT_NEEDED entry found only
 * through the library path. */
#include <stdio.h>
#define L(n) int bench_lib##n(void);
#define C(n) + bench_lib##n()
L(00) L(01) L(02) L(03) L(04) L(05) L(06) L(07) L(08) L(09)
L(10) L(11) L(12) L(13) L(14) L(15) L(16) L(17) L(18) L(19)
L(20) L(21) L(22) L(23) L(24) L(25) L(26) L(27) L(28) L(29)
int main(void)
{
	int sum = 0 C(00) C(01) C(02) C(03) C(04) C(05) C(06) C(07) C(08) C(09)
	          C(10) C(11) C(12) C(13) C(14) C(15) C(16) C(17) C(18) C(19)
	          C(20) C(21) C(22) C(23) C(24) C(25) C(26) C(27) C(28) C(29);
	printf("hello %d\n", sum);
	return 0;
}
