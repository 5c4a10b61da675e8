# python3 tree.py NIXCHILD OUTDIR: a foreign Python parent. Uses three
# extension modules that are dlopen()ed after start (ssl: libssl and
# libcrypto, sqlite3: libsqlite3, ctypes: libffi) and loads libz by soname
# through ctypes; all from the store, so later dlopen()s must still search
# the injected path. Writes its environment to OUTDIR/self, runs the NixOS
# child (reports to $NIXCHILD_LOG) and the foreign env (OUTDIR/env-child).
import ctypes, os, ssl, sqlite3, subprocess, sys

nixchild, out = sys.argv[1:3]
with open(os.path.join(out, "self"), "w") as f:
    f.writelines(f"env {k}={v}\n" for k, v in os.environ.items())

print("python", sys.version.split()[0])
ctx = ssl.create_default_context()
print("ssl:", ssl.OPENSSL_VERSION)
print("ssl: verify", ctx.verify_mode == ssl.CERT_REQUIRED)
db = sqlite3.connect(":memory:")
db.execute("create table t(x)")
db.executemany("insert into t values (?)", [(i,) for i in range(10)])
print("sqlite3: sum", db.execute("select sum(x) from t").fetchone()[0])
z = ctypes.CDLL("libz.so.1")
z.zlibVersion.restype = ctypes.c_char_p
print("ctypes: libz", "ok" if z.zlibVersion() else "none")

r = subprocess.run([nixchild])
print("nixchild: exit", r.returncode)
e = subprocess.run(["/usr/bin/env"], capture_output=True, text=True)
with open(os.path.join(out, "env-child"), "w") as f:
    f.writelines(f"env {l}\n" for l in e.stdout.splitlines())
print("env: exit", e.returncode)
