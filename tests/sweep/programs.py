#!/usr/bin/env python3
"""programs.py [--sample N] DIR...: the programs the sweep starts, one path
a line: every entry of DIR (symlinks followed, each name kept, since a
multi-call program behaves by its name) that is an ELF executable of this
machine naming INTERP (default /lib64/ld-linux-x86-64.so.2) as its
interpreter, i.e. every program ldshim would start on NixOS. With
--sample N, N of them chosen by a hash of their names: the same programs
on every run on a machine, spread over the alphabet."""
import hashlib
import os
import struct
import sys

INTERP = b"/lib64/ld-linux-x86-64.so.2"
PT_INTERP = 3


def interp_of(path):
    """The PT_INTERP string of a 64-bit little-endian ELF, or None."""
    try:
        with open(path, "rb") as f:
            head = f.read(64)
            if len(head) < 64 or head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
                return None
            phoff, = struct.unpack_from("<Q", head, 32)
            phentsize, phnum = struct.unpack_from("<HH", head, 54)
            f.seek(phoff)
            phdrs = f.read(phentsize * phnum)
            for i in range(phnum):
                ptype, = struct.unpack_from("<I", phdrs, i * phentsize)
                if ptype == PT_INTERP:
                    off, = struct.unpack_from("<Q", phdrs, i * phentsize + 8)
                    size, = struct.unpack_from("<Q", phdrs, i * phentsize + 32)
                    f.seek(off)
                    return f.read(size).rstrip(b"\0")
    except OSError:
        return None
    return None


def main(argv):
    sample = None
    if len(argv) > 2 and argv[1] == "--sample":
        sample = int(argv[2])
        argv = argv[2:]
    progs = []
    for d in argv[1:]:
        for name in sorted(os.listdir(d)):
            p = os.path.join(d, name)
            if os.path.isfile(p) and os.access(p, os.X_OK) and interp_of(p) == INTERP:
                progs.append(p)
    if sample is not None:
        progs = sorted(progs, key=lambda p: hashlib.sha256(p.encode()).hexdigest())[:sample]
        progs.sort()
    sys.stdout.write("".join(p + "\n" for p in progs))


if __name__ == "__main__":
    main(sys.argv)
