#!/usr/bin/env python3
"""compare.py LIST NATIVE ENV:LOADER:DIR...: the sweep's verdict for each
environment (LOADER "native": that environment's own native run, instead
of NATIVE's). A program's outcome is how it ended (exit status, signal,
timeout) and what it wrote (stdout and stderr together). Against the
native start (the machine's own ld.so, no simulation) each loader's is:

  match    the same outcome, after normalising what legitimately differs
           between two starts (every run of digits: pids, times,
           addresses, sizes; the order of lines: concurrent children);
  started  it ran, with another outcome (e.g. a plugin directory the
           simulation hides, missing for both loaders alike);
  failed   it did not get to run: killed by a signal, or the loader's
           or ld.so's own error (a library not found, the loader's
           message), or a time-out where the native run ended.

ldshim is worse than nix-ld on a program when its rank (match > started >
failed) is lower. Programs whose native run timed out are not compared.
Prints, per environment, both loaders' counts and every program ldshim
starts worse than nix-ld, as PASS/FAIL lines for tests/run; exits 1 on
any such program. With --doubt FILE, such programs are written to FILE
("ENV PROGRAM" lines) instead, to be run again (a slow start on a busy
machine is not a verdict), and no FAIL line is printed for them."""
import os
import re
import sys

LIMIT = 65536
LOADER_ERRORS = (b"error while loading shared libraries", b": ldshim: ", b"nix-ld",
                 b"cannot allocate memory in static TLS block")


def outcome(d, i):
    try:
        rc = open(os.path.join(d, "%d.rc" % i)).read().strip()
    except OSError:
        rc = "missing"
    try:
        out = open(os.path.join(d, "%d.out" % i), "rb").read(LIMIT)
    except OSError:
        out = b""
    return rc, out


def norm(out):
    """Every run of digits as one N, and the lines in order: programs
    that run several children at once (groff's pipeline) interleave
    their lines differently from one start to the next."""
    return sorted(re.sub(rb"[0-9]+", b"N", out).split(b"\n"))


def rank(native, got):
    if got[0] == native[0] and norm(got[1]) == norm(native[1]):
        return 2
    if got[0].startswith("signal") or got[0] in ("timeout", "missing"):
        return 0
    if any(e in got[1] for e in LOADER_ERRORS) and not any(e in native[1] for e in LOADER_ERRORS):
        return 0
    return 1


def main(argv):
    doubt = None
    if len(argv) > 2 and argv[1] == "--doubt":
        doubt = open(argv[2], "w")
        argv = argv[2:]
    progs = [l.rstrip("\n") for l in open(argv[1])]
    natives = {}
    runs = {}
    for spec in argv[3:]:
        env, loader, d = spec.split(":", 2)
        if loader == "native":
            natives[env] = d
        else:
            runs.setdefault(env, {})[loader] = d
    bad = 0
    for env, loaders in runs.items():
        native = natives.get(env, argv[2])
        counts = {l: [0, 0, 0] for l in loaders}
        worse, better, compared, skipped = [], [], 0, 0
        for i, p in enumerate(progs):
            n = outcome(native, i)
            if n[0] == "timeout":
                skipped += 1
                continue
            compared += 1
            r = {}
            for l, d in loaders.items():
                r[l] = rank(n, outcome(d, i))
                counts[l][2 - r[l]] += 1
            if "ldshim" in r and "nix-ld" in r:
                if r["ldshim"] < r["nix-ld"]:
                    worse.append(p)
                elif r["ldshim"] > r["nix-ld"]:
                    better.append(p)
        for l, c in counts.items():
            print("# %s %s: %d of %d programs as native, %d started otherwise, %d failed to start"
                  % (env, l, c[0], compared, c[1], c[2]))
        if skipped:
            print("# %s: %d programs not compared (the native run timed out)" % (env, skipped))
        if better:
            print("# %s: ldshim better than nix-ld on %d: %s" % (env, len(better), " ".join(better)))
        if "ldshim" in loaders and "nix-ld" in loaders:
            if worse and doubt:
                print("# %s: ldshim worse than nix-ld on %d, to be run again: %s"
                      % (env, len(worse), " ".join(worse)))
                doubt.write("".join("%s %s\n" % (env, p) for p in worse))
            elif worse:
                bad += 1
                print("FAIL sweep-%s-not-worse-than-nix-ld: ldshim starts %d programs worse than nix-ld: %s"
                      % (env, len(worse), " ".join(worse)))
                for p in worse[:10]:
                    i = progs.index(p)
                    for l in ("ldshim", "nix-ld"):
                        rc, out = outcome(loaders[l], i)
                        print("    %s %s: %s: %s" % (p, l, rc, out[:200].decode("latin-1").replace("\n", " | ")))
                    rc, out = outcome(native, i)
                    print("    %s native: %s: %s" % (p, rc, out[:200].decode("latin-1").replace("\n", " | ")))
            else:
                print("PASS sweep-%s-not-worse-than-nix-ld" % env)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
