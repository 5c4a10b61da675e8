# ldshim — build, test, install.
#   make                 build/ldshim for ARCH (default: this machine's)
#   make check           build and run every test (ends "N passed, N failed")
#   make demo            run a foreign program in a simulated NixOS
#   make install PREFIX=/usr/local DESTDIR=

ARCH ?= x86_64
PREFIX ?= /usr/local
DESTDIR ?=
DEFAULT_NIX_LD ?= /run/current-system/sw/share/nix-ld/lib/ld.so
DEFAULT_NIX_LD_LIBRARY_PATH ?= /run/current-system/sw/share/nix-ld/lib
# The library cache tried when the library path is the default one and no
# cache is named: one failed openat when there is none.
DEFAULT_NIX_LD_LIBRARY_CACHE ?= $(DEFAULT_NIX_LD_LIBRARY_PATH)/ld.so.cache
# The system configuration file (README "Configuration file").
CONFIG_PATH ?= /etc/ldshim.conf

include arch/$(ARCH)/arch.mk
HOST_ARCH := x86_64
B := build$(if $(filter $(ARCH),$(HOST_ARCH)),,/$(ARCH))

# What the shim may not rely on: a libc, a dynamic linker, relocations
# applied for it, a stack protector, floating-point or vector registers.
SHIM_CFLAGS := -std=c11 -Os -g -Wall -Wextra -Werror -Wstack-usage=8192 \
	-ffreestanding -fno-builtin -nostdinc -isystem $(shell $(CROSS_CC) -print-file-name=include) \
	$(ARCH_SYSINC) \
	-fPIE -fvisibility=hidden -fno-stack-protector -fno-stack-clash-protection \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-jump-tables \
	-fno-tree-switch-conversion -fno-tree-loop-distribute-patterns \
	-fcf-protection=none -ffunction-sections -fdata-sections \
	$(ARCH_CFLAGS) \
	-Iarch/$(ARCH) -Ishim -Itrampoline \
	-DDEFAULT_NIX_LD='"$(DEFAULT_NIX_LD)"' \
	-DDEFAULT_NIX_LD_LIBRARY_PATH='"$(DEFAULT_NIX_LD_LIBRARY_PATH)"' \
	-DDEFAULT_NIX_LD_LIBRARY_CACHE='"$(DEFAULT_NIX_LD_LIBRARY_CACHE)"' \
	-DLDSHIM_CONFIG='"$(CONFIG_PATH)"'
# -z noseparate-code: headers, code and read-only data in one segment, so
# the kernel maps two segments for ldshim and its code takes one page fault.
SHIM_LDFLAGS := -static-pie -nostdlib -Wl,-e,ldshim_start -Wl,--gc-sections \
	-Wl,-z,noexecstack -Wl,-z,norelro -Wl,-z,noseparate-code -Wl,--hash-style=gnu \
	-Wl,--build-id=none $(ARCH_LDFLAGS)

# The files that generate a library cache (shim/ldcache-gen.h): in the
# shim for the automatic cache, and compiled hosted into ldshim-cache and
# ldshim-check (tools/*/tool.mk), one implementation for all three.
LDCACHE_GEN := ldcache-target ldcache-scan ldcache-order ldcache-image membuf
SHIM_KEEP_SYMS := _dl_debug_state ldshim_trampoline ldshim_start ldshim_tramp_ctx
# debug-site.c (_dl_debug_state) last: its symbol then ends the span of
# the symbol `ldshim` (below) over all the C code.
SHIM_C := shim/main.c shim/explicit.c shim/debug.c shim/elfsym.c shim/ldso.c shim/ldpatch.c shim/prepare.c shim/cache.c shim/cachehome.c shim/mkcache.c $(patsubst %,shim/%.c,$(LDCACHE_GEN)) shim/env.c shim/stack.c shim/log.c shim/str.c shim/confparse.c shim/progid.c shim/config.c shim/confprint.c shim/out.c shim/debug-site.c
SHIM_S := arch/$(ARCH)/start.S arch/$(ARCH)/trampoline.S
SHIM_H := $(wildcard shim/*.h trampoline/*.h arch/$(ARCH)/*.h arch/common/*.h)
SHIM_O := $(patsubst %,$(B)/obj/%.o,$(SHIM_C) $(SHIM_S))

.PHONY: all check demo install clean print-config-path
all: $(B)/ldshim

$(B)/obj/%.c.o: %.c $(SHIM_H) Makefile arch/$(ARCH)/arch.mk
	@mkdir -p $(dir $@)
	@echo "  CC  $<"; $(CROSS_CC) $(SHIM_CFLAGS) -c $< -o $@

$(B)/obj/%.S.o: %.S $(SHIM_H) Makefile arch/$(ARCH)/arch.mk
	@mkdir -p $(dir $@)
	@echo "  CC  $<"; $(CROSS_CC) $(SHIM_CFLAGS) -c $< -o $@

# The link is followed by the checks that make a static-pie without a
# self-relocator safe: no dynamic relocations, no interpreter, no library.
$(B)/ldshim: $(SHIM_O)
	@echo "  LD  $@"; $(CROSS_CC) $(SHIM_CFLAGS) $(SHIM_LDFLAGS) $^ -o $@.tmp
	@if $(READELF) -rW $@.tmp | grep -q 'R_'; then \
	  echo "$@: has dynamic relocations nothing would apply:"; $(READELF) -rW $@.tmp; rm -f $@.tmp; exit 1; fi
	@if $(READELF) -lW $@.tmp | grep -q INTERP; then echo "$@: has PT_INTERP"; rm -f $@.tmp; exit 1; fi
	@if $(READELF) -dW $@.tmp | grep -q NEEDED; then echo "$@: has DT_NEEDED"; rm -f $@.tmp; exit 1; fi
	@mv $@.tmp $@.debug
	@# Only the symbols debuggers and tests look for: gdb applies the
	@# interpreter file's symbols at the real ld.so's address, and must not
	@# find ours under names a program might use.
	@$(OBJCOPY) --strip-all $(addprefix --keep-symbol=,$(SHIM_KEEP_SYMS)) $@.debug $@
	@# One symbol over its C code, `ldshim` (size 0: profilers extend it
	@# to the next symbol, _dl_debug_state): a perf sample in it is named
	@# as ldshim's time, not [unknown].
	@$(OBJCOPY) --add-symbol ldshim=.text:0,global,function $@

# The layout of nixpkgs' nix-ld package, so its NixOS module works as is:
# libexec/nix-ld, nix-support/ldpath (the standard interpreter path of the
# architecture, from arch/<arch>/arch.h) and a tmpfiles.d line linking
# that path to libexec/nix-ld.
ARCH_INTERP := $(shell sed -n 's/^\#define ARCH_INTERP[ \t]*"\(.*\)".*/\1/p' arch/$(ARCH)/arch.h)
install: $(B)/ldshim install-check-tool install-cache-tool
	@test -n "$(ARCH_INTERP)" || { echo "arch/$(ARCH)/arch.h: no ARCH_INTERP"; exit 1; }
	install -d $(DESTDIR)$(PREFIX)/libexec $(DESTDIR)$(PREFIX)/lib/tmpfiles.d \
	  $(DESTDIR)$(PREFIX)/nix-support $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 755 $(B)/ldshim $(DESTDIR)$(PREFIX)/libexec/ldshim
	ln -sf ldshim $(DESTDIR)$(PREFIX)/libexec/nix-ld
	sed -e 's|@INTERP@|$(ARCH_INTERP)|g' -e 's|@LIBEXEC@|$(PREFIX)/libexec|g' \
	  packaging/tmpfiles.conf.in > $(DESTDIR)$(PREFIX)/lib/tmpfiles.d/ldshim.conf
	printf '%s' '$(ARCH_INTERP)' > $(DESTDIR)$(PREFIX)/nix-support/ldpath
	install -m 644 man/ldshim.8 $(DESTDIR)$(PREFIX)/share/man/man8/ldshim.8
	install -d $(DESTDIR)$(PREFIX)/share/ldshim
	install -m 644 tests/debug/ldshim-gdb.py $(DESTDIR)$(PREFIX)/share/ldshim/ldshim-gdb.py

clean:
	rm -rf build

print-config-path:
	@echo $(CONFIG_PATH)

-include tests/tests.mk
-include bench/bench.mk
-include $(wildcard tools/*/tool.mk)
-include $(wildcard tests/*/area.mk)

demo: all
	@tests/deps gcc libc6-dev util-linux
	@demo/demo.sh
