#!/usr/bin/env python3
"""set-cache-path.py LDSO OUT PATH: copy the real ld.so LDSO to OUT with the
path of its library cache (the one NUL-terminated string in its data that
ends in "/etc/ld.so.cache") changed to PATH, NUL-padded. What the shim does
in its private mapping, done to a file, so that the real ld.so can be made
to read a test cache without the shim. Fails if the string is not there
exactly once or PATH does not fit."""
import os
import re
import sys

ldso, out, path = sys.argv[1], sys.argv[2], sys.argv[3].encode()
b = bytearray(open(ldso, 'rb').read())
hits = [m for m in re.finditer(rb'\0((?:/[^\0]*)?/etc/ld\.so\.cache)\0', b)]
if len(hits) != 1:
    sys.exit('%s: %d cache path strings, expected 1' % (ldso, len(hits)))
old = hits[0].group(1)
if len(path) > len(old):
    sys.exit('%s: %s does not fit in the %d bytes of %s' % (ldso, path.decode(), len(old), old.decode()))
at = hits[0].start(1)
b[at:at + len(old)] = path + b'\0' * (len(old) - len(path))
with open(out + '.tmp', 'wb') as f:
    f.write(b)
os.chmod(out + '.tmp', 0o755)
os.replace(out + '.tmp', out)
