/* A startup library with 64 KiB of initial-exec TLS (a compiler
 * toolchain's runtime has about 24 KiB): with an audit module, ld.so
 * sizes the static TLS block before it loads it. */
#ifndef TLS_KIB
#define TLS_KIB 64
#endif
__attribute__((tls_model("initial-exec"))) __thread char bigtls[TLS_KIB * 1024] = { 1 };

int bigtls_touch(void)
{
	bigtls[sizeof bigtls - 1] = 7;
	return bigtls[0] + bigtls[sizeof bigtls - 1];
}
