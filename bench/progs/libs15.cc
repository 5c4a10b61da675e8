// The NixOS bench's "foreign program with many libraries" (bench/nixos.sh):
// a C++ program linked against 16 Debian libraries, as a vendor tool
// built for an FHS system would be (curl, OpenSSL, libxml2, SQLite,
// libstdc++, ...). Each library is named in DT_NEEDED (the link keeps
// them: --no-as-needed), so ld.so loads them and their dependencies at
// every start; main uses a few, so that every variant must have found the
// same files.
#include <cstdio>
#include <string>

extern "C" {
const char *curl_version(void);
const char *zlibVersion(void);
const char *sqlite3_libversion(void);
unsigned long OpenSSL_version_num(void);
int OPENSSL_init_ssl(unsigned long long, const void *);
void xmlCheckVersion(int);
const char *lzma_version_string(void);
unsigned ZSTD_versionNumber(void);
const char *idn2_check_version(const char *);
void *nghttp2_version(int);
const char *psl_get_version(void);
const char *libssh2_version(int);
unsigned BrotliDecoderVersion(void);
int pcre2_config_8(unsigned, void *);
const char *XML_ExpatVersion(void);
int FT_Init_FreeType(void *);
}

// Kept, not called: their libraries' constructors run all the same.
void *volatile keep[] = {
	(void *)curl_version, (void *)OpenSSL_version_num, (void *)OPENSSL_init_ssl,
	(void *)xmlCheckVersion, (void *)lzma_version_string, (void *)ZSTD_versionNumber,
	(void *)idn2_check_version, (void *)nghttp2_version, (void *)psl_get_version,
	(void *)libssh2_version, (void *)BrotliDecoderVersion, (void *)pcre2_config_8,
	(void *)XML_ExpatVersion, (void *)FT_Init_FreeType,
};

int main()
{
	std::string s = std::string("zlib ") + zlibVersion() + ", sqlite " + sqlite3_libversion();
	std::puts(s.c_str());
	return 0;
}
