#!/usr/bin/env python3
"""dump-cache.py FILE: the entries of a glibc ld.so.cache (new format, as
glibc 2.32+ ldconfig and ldshim-cache write it), one per line in file
order: "0xFLAGS NAME PATH". Nothing else is checked: the tests compare
these lines between ldconfig's cache and ldshim-cache's."""
import struct
import sys

b = open(sys.argv[1], 'rb').read()
if b[:20] != b'glibc-ld.so.cache1.1':
    sys.exit('%s: not a new-format cache' % sys.argv[1])
nlibs, = struct.unpack_from('<I', b, 20)


def s(off):
    return b[off:b.index(b'\0', off)].decode('utf-8', 'backslashreplace')


for i in range(nlibs):
    flags, key, value, _, _ = struct.unpack_from('<iIIIQ', b, 48 + 24 * i)
    print('0x%04x %s %s' % (flags, s(key), s(value)))
