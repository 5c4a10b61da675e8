# ldshim-gdb.py: the gdb command `ldshim-ldso`, for programs started
# through ldshim.  Load it with `source ldshim-gdb.py` (or -x), then, once
# the program is stopped (running, attached, or a core file):
#
#   (gdb) ldshim-ldso
#
# Why: ld.so names its own link_map entry by the program's PT_INTERP
# (/lib64/ld-linux-x86-64.so.2), as the transparency contract requires. On
# NixOS that file is ldshim, so gdb reads ldshim's symbols for ld.so's
# entry ("warning: .dynamic section for "/lib64/ld-linux-x86-64.so.2" is
# not at the expected address") and ld.so's own frames (call_init,
# _dl_init, _dl_start_user, dlopen's internals) show as "?? ()" with the
# backtrace cut there. This command finds the real ld.so through the
# program's r_debug (the entry named by PT_INTERP gives its load address,
# the process's mappings its file) and adds its symbols at that address.
import struct

import gdb

PT_DYNAMIC, PT_INTERP, PT_PHDR, DT_NULL, DT_DEBUG = 2, 3, 6, 0, 21


def _mem(addr, n):
    return bytes(gdb.selected_inferior().read_memory(addr, n))


def _word(addr):
    return struct.unpack("<Q", _mem(addr, 8))[0]


def _cstr(addr):
    out = b""
    while len(out) < 4096:
        chunk = _mem(addr + len(out), 64)
        if b"\0" in chunk:
            return out + chunk[:chunk.index(b"\0")]
        out += chunk
    return out


def _auxv(tag):
    for line in gdb.execute("info auxv", to_string=True).splitlines():
        f = line.split()
        if len(f) >= 2 and f[1] == tag:
            return int(f[-1], 0)
    raise gdb.GdbError("ldshim-ldso: no %s in the auxiliary vector" % tag)


def _real_ldso():
    """(path, base) of the real ld.so, from the program's link map."""
    phdr, phnum = _auxv("AT_PHDR"), _auxv("AT_PHNUM")
    heads = [struct.unpack("<IIQQQQQQ", _mem(phdr + 56 * i, 56)) for i in range(phnum)]
    bias = next((phdr - h[3] for h in heads if h[0] == PT_PHDR), None)
    if bias is None:
        raise gdb.GdbError("ldshim-ldso: the program has no PT_PHDR")
    interp = next((_cstr(bias + h[3]) for h in heads if h[0] == PT_INTERP), None)
    dyn = next((bias + h[3] for h in heads if h[0] == PT_DYNAMIC), None)
    if interp is None or dyn is None:
        raise gdb.GdbError("ldshim-ldso: the program is not dynamically linked")
    r_debug = 0
    while True:
        tag, val = struct.unpack("<qQ", _mem(dyn, 16))
        if tag == DT_NULL:
            break
        if tag == DT_DEBUG:
            r_debug = val
        dyn += 16
    if not r_debug:
        raise gdb.GdbError("ldshim-ldso: ld.so has not filled DT_DEBUG yet (stop later, e.g. at main)")
    lm, base = _word(r_debug + 8), None
    while lm:
        if _cstr(_word(lm + 8)) == interp:
            base = _word(lm)
            break
        lm = _word(lm + 24)
    if base is None:
        raise gdb.GdbError("ldshim-ldso: no link map entry named %s" % interp.decode())
    for line in gdb.execute("info proc mappings", to_string=True).splitlines():
        f = line.split()
        if len(f) >= 5 and f[0].startswith("0x") and int(f[0], 16) == base and f[-1].startswith("/"):
            return f[-1], base
    raise gdb.GdbError("ldshim-ldso: no file mapped at ld.so's base %#x" % base)


class LdshimLdso(gdb.Command):
    """Add the real ld.so's symbols at its load address (see ldshim-gdb.py)."""

    def __init__(self):
        super().__init__("ldshim-ldso", gdb.COMMAND_FILES)

    def invoke(self, arg, from_tty):
        path, base = _real_ldso()
        gdb.execute("add-symbol-file %s -o %#x" % (path, base), from_tty)


LdshimLdso()
