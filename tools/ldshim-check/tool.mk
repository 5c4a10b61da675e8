# ldshim-check: a hosted tool that says why a foreign binary won't start
# (missing libraries, symbol versions, the library cache) the
# way ld.so behind ldshim would load it. Plain hosted C, no ELF library
# needed.
#
# The settings a start gets (ld.so, library path, mode, the caches named)
# and which library cache it uses are decided by the shim's own code,
# compiled hosted here (as tests/security/build-hosted does for the unit
# tests): shim/env.c and config.c (with confparse.c, progid.c,
# confprint.c's report texts) read the environment and the configuration
# files; shim/cache.c, cachehome.c, ldso.c, ldpatch.c, mkcache.c and what
# they use choose the cache, for this machine's system. Where the shim
# would die, it returns to the tool instead (die is renamed; shimdie.c). A
# cache's entries are read with ldshim-cache's reader
# (tools/ldshim-cache/view.c), whose name comparison and targets are the
# shim's (LDCACHE_GEN, in the Makefile).
#
# Two builds of the same pieces, each an archive (everything but main.c,
# for test programs too) and a program:
#   build/check-tool/libcheck.a       build/ldshim-check
#   build/check-tool-asan/libcheck.a  build/ldshim-check-asan (ASan+UBSan, for the tests)
CHECK_TOOL_SRC := $(filter-out tools/ldshim-check/main.c,$(wildcard tools/ldshim-check/*.c))
CHECK_TOOL_SHIM := cache cachehome ldso ldpatch mkcache str log env stack confparse progid config confprint out $(LDCACHE_GEN)
CHECK_TOOL_VIEW := view
CHECK_TOOL_INC := -Ishim -Iarch/$(HOST_ARCH) -Itrampoline -Itools/ldshim-cache
CHECK_TOOL_DEFAULTS := -DDEFAULT_NIX_LD='"$(DEFAULT_NIX_LD)"' \
	-DDEFAULT_NIX_LD_LIBRARY_PATH='"$(DEFAULT_NIX_LD_LIBRARY_PATH)"' \
	-DDEFAULT_NIX_LD_LIBRARY_CACHE='"$(DEFAULT_NIX_LD_LIBRARY_CACHE)"'
CHECK_TOOL_DEFINES := $(CHECK_TOOL_DEFAULTS) -DCHECK_CONFIG_PATH='"$(CONFIG_PATH)"'
CHECK_TOOL_WARN := -g -Wall -Wextra -Werror
CHECK_TOOL_ASAN := -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
CHECK_TOOL_DEPS := tools/ldshim-check/tool.mk Makefile $(wildcard tools/ldshim-check/*.h \
	shim/*.h arch/$(HOST_ARCH)/*.h arch/common/*.h tools/ldshim-cache/*.h)

# $(1): the build's directory under build/, $(2): its extra flags.
define CHECK_TOOL_BUILD
build/$(1)/tool-%.o: tools/ldshim-check/%.c $$(CHECK_TOOL_DEPS)
	@mkdir -p $$(dir $$@)
	@echo "  CC  $$<"; $$(CC) -std=gnu11 -O2 $$(CHECK_TOOL_WARN) $(2) $$(CHECK_TOOL_INC) $$(CHECK_TOOL_DEFINES) -c $$< -o $$@
# shim/str.c defines memcpy and memset for the freestanding build: renamed
# here, so that libc's stay; shim/log.c's own die is not the one called.
# shim/config.c opens the system file named by a variable (sysconf.h).
build/$(1)/shim-%.o: shim/%.c $$(CHECK_TOOL_DEPS)
	@mkdir -p $$(dir $$@)
	@echo "  CC  $$< (for ldshim-check)"; $$(CC) -std=c11 -O2 $$(CHECK_TOOL_WARN) $(2) $$(CHECK_TOOL_INC) \
		$$(CHECK_TOOL_DEFAULTS) $$(if $$(filter shim/config.c,$$<),-include tools/ldshim-check/sysconf.h) \
		$$(if $$(filter shim/log.c,$$<),-Ddie=ldshim_log_die,-Ddie=check_shim_die) \
		$$(if $$(filter shim/str.c,$$<),-Dmemcpy=ldshim_memcpy -Dmemset=ldshim_memset) -c $$< -o $$@
build/$(1)/cache-tool-%.o: tools/ldshim-cache/%.c $$(CHECK_TOOL_DEPS)
	@mkdir -p $$(dir $$@)
	@echo "  CC  $$< (for ldshim-check)"; $$(CC) -std=gnu11 -O2 $$(CHECK_TOOL_WARN) $(2) $$(CHECK_TOOL_INC) -c $$< -o $$@
build/$(1)/libcheck.a: $$(patsubst tools/ldshim-check/%.c,build/$(1)/tool-%.o,$$(CHECK_TOOL_SRC)) \
		$$(patsubst %,build/$(1)/shim-%.o,$$(CHECK_TOOL_SHIM)) \
		$$(patsubst %,build/$(1)/cache-tool-%.o,$$(CHECK_TOOL_VIEW))
	@rm -f $$@; $$(AR) rcs $$@ $$^
endef
$(eval $(call CHECK_TOOL_BUILD,check-tool,))
$(eval $(call CHECK_TOOL_BUILD,check-tool-asan,$(CHECK_TOOL_ASAN)))

.PHONY: check-tool install-check-tool
# Built once, into build/, with the defaults of the main build: not again
# for a variant of the shim built elsewhere (B=..., as tests do with other
# defaults), which would relink build/ with those.
ifeq ($(B),build)
all: check-tool
endif
check-tool: build/ldshim-check

build/ldshim-check: build/check-tool/tool-main.o build/check-tool/libcheck.a
	@echo "  LD  $@"; $(CC) -g $^ -o $@
build/ldshim-check-asan: build/check-tool-asan/tool-main.o build/check-tool-asan/libcheck.a
	@echo "  LD  $@"; $(CC) -g $(CHECK_TOOL_ASAN) $^ -o $@

install-check-tool: build/ldshim-check
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 build/ldshim-check $(DESTDIR)$(PREFIX)/bin/ldshim-check
