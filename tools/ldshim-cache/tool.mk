# ldshim-cache: a hosted tool that writes the library cache (shim/ldcache.h,
# glibc's ld.so.cache format) for the Nix library path, and prints and
# checks one. What goes into a cache is the shim's own code
# (shim/ldcache-gen.h: LDCACHE_GEN in the Makefile), compiled hosted here, as
# ldshim-check compiles it; the rest is plain hosted C.
#
# Two builds, each from its own objects:
#   build/ldshim-cache         the tool
#   build/ldshim-cache-asan    the same under ASan+UBSan, for the tests
CACHE_TOOL_SRC := $(wildcard tools/ldshim-cache/*.c)
CACHE_TOOL_VERSION ?= $(or $(shell sed -n 's/^ *version = "\(.*\)";/\1/p' nix/package.nix 2>/dev/null),unknown)
CACHE_TOOL_INC := -Ishim -Iarch/$(HOST_ARCH) -Itrampoline
CACHE_TOOL_WARN := -g -Wall -Wextra -Werror
CACHE_TOOL_ASAN := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
CACHE_TOOL_DEPS := tools/ldshim-cache/tool.mk $(wildcard tools/ldshim-cache/*.h shim/*.h \
	arch/$(HOST_ARCH)/*.h arch/common/*.h)

# $(1): the build's directory under build/, $(2): its extra flags.
define CACHE_TOOL_BUILD
build/$(1)/tool-%.o: tools/ldshim-cache/%.c $$(CACHE_TOOL_DEPS)
	@mkdir -p $$(dir $$@)
	@echo "  CC  $$<"; $$(CC) -std=gnu11 -O2 $$(CACHE_TOOL_WARN) $(2) $$(CACHE_TOOL_INC) \
		-DLDSHIM_CACHE_VERSION='"$$(CACHE_TOOL_VERSION)"' -c $$< -o $$@
# shim/str.c defines memcpy and memset for the freestanding build: renamed
# here, so that libc's (and the sanitizers') stay.
build/$(1)/shim-%.o: shim/%.c $$(CACHE_TOOL_DEPS)
	@mkdir -p $$(dir $$@)
	@echo "  CC  $$< (for ldshim-cache)"; $$(CC) -std=c11 -O2 $$(CACHE_TOOL_WARN) $(2) $$(CACHE_TOOL_INC) \
		$$(if $$(filter shim/str.c,$$<),-Dmemcpy=ldshim_memcpy -Dmemset=ldshim_memset) -c $$< -o $$@
build/$(1)/ldshim-cache: $$(patsubst tools/ldshim-cache/%.c,build/$(1)/tool-%.o,$$(CACHE_TOOL_SRC)) \
		$$(patsubst %,build/$(1)/shim-%.o,$$(LDCACHE_GEN) str)
	@echo "  LD  $$@"; $$(CC) -g $(2) $$^ -o $$@
endef
$(eval $(call CACHE_TOOL_BUILD,cache-tool,))
$(eval $(call CACHE_TOOL_BUILD,cache-tool-asan,$(CACHE_TOOL_ASAN)))

.PHONY: cache-tool install-cache-tool
# Built once, into build/, with the defaults of the main build: not again
# for a variant of the shim built elsewhere (B=..., as tests do with other
# defaults), which would relink build/ with those.
ifeq ($(B),build)
all: cache-tool
endif
cache-tool: build/ldshim-cache

build/ldshim-cache: build/cache-tool/ldshim-cache
	@cp $< $@
build/ldshim-cache-asan: build/cache-tool-asan/ldshim-cache
	@cp $< $@

install-cache-tool: build/ldshim-cache
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 build/ldshim-cache $(DESTDIR)$(PREFIX)/bin/ldshim-cache
