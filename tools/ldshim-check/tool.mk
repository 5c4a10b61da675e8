# ldshim-check: a hosted tool that says why a foreign binary won't start
# (missing libraries, symbol versions) the way ld.so behind ldshim would
# load it. Plain hosted C, no ELF library needed.
CHECK_TOOL_SRC := $(wildcard tools/ldshim-check/*.c)
CHECK_TOOL_HDR := $(wildcard tools/ldshim-check/*.h)
CHECK_TOOL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-DDEFAULT_NIX_LD='"$(DEFAULT_NIX_LD)"' \
	-DDEFAULT_NIX_LD_LIBRARY_PATH='"$(DEFAULT_NIX_LD_LIBRARY_PATH)"'

.PHONY: check-tool install-check-tool
all: check-tool
check-tool: build/ldshim-check

build/ldshim-check: $(CHECK_TOOL_SRC) $(CHECK_TOOL_HDR) tools/ldshim-check/tool.mk
	@mkdir -p build
	@echo "  CC  $@"; $(CC) $(CHECK_TOOL_CFLAGS) $(CHECK_TOOL_SRC) -o $@

install-check-tool: build/ldshim-check
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 build/ldshim-check $(DESTDIR)$(PREFIX)/bin/ldshim-check
