#!/usr/bin/env python3
"""golden.py: the fixed input and the comparable output of t-golden.sh.

  golden.py tree DIR ARCH     make the library directories DIR/d0..d5 for
                              the target ARCH (x86_64, i386, aarch64,
                              riscv64): the same names and the same kinds of
                              file on every run, each file only the 64 bytes
                              of ELF header (or text) the generator reads
  golden.py norm FILE         the cache FILE with what rightly differs from
                              run to run taken out, as a SHA-256: each
                              directory's inode and mtime (the record keeps
                              them), and the generator string, whose length
                              (the version) moves the record; the rest is
                              checked to be where the format puts it

A refactoring of the cache writer must leave the hash unchanged: the file
is then byte for byte what it was, except for those fields."""
import hashlib
import os
import struct
import sys

# class, machine, e_flags of a library each target loads.
TARGETS = {
    'x86_64': (2, 62, 0),
    'i386': (1, 3, 0),
    'aarch64': (2, 183, 0),
    'riscv64': (2, 243, 4),     # double-float ABI
}


def header(cls, machine, flags=0, etype=3, osabi=0, abiv=0):
    """64 bytes: an ELF header of the class (the rest zero)."""
    ident = b'\x7fELF' + bytes([cls, 1, 1, osabi, abiv]) + bytes(7)
    if cls == 2:
        h = ident + struct.pack('<HHIQQQIHHHHHH', etype, machine, 1, 0, 64, 0,
                                flags, 64, 56, 0, 64, 0, 0)
    else:
        h = ident + struct.pack('<HHIIIIIHHHHHH', etype, machine, 1, 0, 52, 0,
                                flags, 52, 32, 0, 40, 0, 0)
    return h.ljust(64, b'\0')


def put(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def tree(root, arch):
    cls, machine, flags = TARGETS[arch]
    lib = header(cls, machine, flags)
    d = [os.path.join(root, 'd%d' % i) for i in range(6)]
    for x in d:
        os.makedirs(x, exist_ok=True)
    # 200 versioned names per directory, a quarter of each shadowed by
    # the next directory's.
    for i in range(5):
        for k in range(i * 150, i * 150 + 200):
            put(os.path.join(d[i], 'libg%d.so.%d.%d' % (k, k % 7, k % 13)), lib)
    # digit runs compare as numbers; one shadowed copy
    for v in ('1.2.9', '1.2.10', '1.2.11', '1', '1.2'):
        put(os.path.join(d[0], 'libz.so.' + v), lib)
    put(os.path.join(d[1], 'libz.so.1.2.10'), lib)
    # bytes above 0x7f: the target's char signedness orders them
    for n in (b'lib\xc3\xa9.so.1', b'libE.so.1', b'lib~.so.1', b'lib\xff.so'):
        put(os.path.join(os.fsencode(d[1]), n), lib)
    # names of any shape
    for n in ('a', 'ld-x.so', 'libq.so.0.1a', 'libq.so.0.1b', 'x-1.2-3'):
        put(os.path.join(d[2], n), lib)
    # a development link, a dangling link with a library later, a
    # linker script and an executable shadowing nothing
    os.symlink('libz.so.1.2.11', os.path.join(d[0], 'libz.so'))
    os.symlink('nothing', os.path.join(d[0], 'libgone.so.1'))
    put(os.path.join(d[2], 'libgone.so.1'), lib)
    put(os.path.join(d[0], 'libc.so'), b'INPUT(-lc_nonshared)\n')
    put(os.path.join(d[3], 'libexe.so.1'), header(cls, machine, flags, etype=2))
    put(os.path.join(d[4], 'README'), b'text\n')
    os.makedirs(os.path.join(d[4], 'sub'), exist_ok=True)
    os.symlink('sub', os.path.join(d[4], 'linkdir'))
    # one name, one directory per target: each skips the others' copies
    others = [t for t in TARGETS if t != arch]
    for i, t in enumerate(others + [arch]):
        put(os.path.join(d[i], 'libmix.so.1'), header(*TARGETS[t]))
    # riscv64's ld.so skips a soft-float library; GNU OS ABI version 1
    put(os.path.join(d[0], 'libsoft.so.1'), header(cls, machine, 0 if arch == 'riscv64' else flags))
    put(os.path.join(d[1], 'libsoft.so.1'), lib)
    put(os.path.join(d[3], 'libgnu.so.1'), header(cls, machine, flags, osabi=3, abiv=1))
    # d5 stays empty


def norm(path):
    b = bytearray(open(path, 'rb').read())
    assert b[:20] == b'glibc-ld.so.cache1.1', 'not a new-format cache'
    ext, = struct.unpack_from('<I', b, 32)
    magic, count = struct.unpack_from('<II', b, ext)
    assert magic == 0xeaa42174 and count == 2, 'extension directory'
    gtag, _, goff, glen = struct.unpack_from('<IIII', b, ext + 8)
    rtag, _, roff, rlen = struct.unpack_from('<IIII', b, ext + 24)
    assert gtag == 0 and rtag == 0x6c647331, 'section tags'
    assert goff == ext + 40 and roff == (goff + glen + 1 + 7) & ~7, 'section offsets'
    assert b[goff:goff + glen].startswith(b'ldshim-cache ') and b[goff + glen] == 0, 'generator'
    assert roff + rlen == len(b), 'the record ends the file'
    rec = bytearray(b[roff:])
    _, _, ndirs, _, size, _, _ = struct.unpack_from('<IIIIQII', rec, 0)
    assert size == len(b), 'file size'
    struct.pack_into('<Q', rec, 16, 0)
    for i in range(ndirs):      # keep the flags, drop mtime and inode
        o = 32 + 24 * i
        rec[o:o + 12] = bytes(12)
        rec[o + 16:o + 24] = bytes(8)
    head = bytearray(b[:ext + 40])
    struct.pack_into('<II', head, ext + 8 + 8, 0, 0)
    struct.pack_into('<I', head, ext + 24 + 8, 0)
    return hashlib.sha256(bytes(head) + bytes(rec)).hexdigest()


if __name__ == '__main__':
    if sys.argv[1] == 'tree':
        tree(sys.argv[2], sys.argv[3])
    else:
        print(norm(sys.argv[2]))
