# ldshim-cache: a hosted tool that writes the library cache (shim/ldcache.h,
# glibc's ld.so.cache format) for the Nix library path, and prints and
# checks one. Plain hosted C.
CACHE_TOOL_SRC := $(wildcard tools/ldshim-cache/*.c)
CACHE_TOOL_HDR := $(wildcard tools/ldshim-cache/*.h) shim/ldcache.h
CACHE_TOOL_VERSION ?= $(or $(shell sed -n 's/^ *version = "\(.*\)";/\1/p' nix/package.nix 2>/dev/null),unknown)
CACHE_TOOL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Ishim \
	-DLDSHIM_CACHE_VERSION='"$(CACHE_TOOL_VERSION)"'

.PHONY: cache-tool install-cache-tool
# Built once, into build/, with the defaults of the main build: not again
# for a variant of the shim built elsewhere (B=..., as tests do with other
# defaults), which would relink build/ with those.
ifeq ($(B),build)
all: cache-tool
endif
cache-tool: build/ldshim-cache

build/ldshim-cache: $(CACHE_TOOL_SRC) $(CACHE_TOOL_HDR) tools/ldshim-cache/tool.mk
	@mkdir -p build
	@echo "  CC  $@"; $(CC) $(CACHE_TOOL_CFLAGS) $(CACHE_TOOL_SRC) -o $@

install-cache-tool: build/ldshim-cache
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 build/ldshim-cache $(DESTDIR)$(PREFIX)/bin/ldshim-cache
