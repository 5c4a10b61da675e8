# Every file depends only downward: no two source files of the shim or
# of a tool call each other, directly or around a longer loop, and no
# header includes itself through others. Read from the objects (nm: who
# defines and who uses each symbol) and the #include lines.
. "$(dirname "$0")/../lib.sh"
command -v python3 >/dev/null || { skip no-circles "python3 not installed"; exit 0; }
command -v nm >/dev/null || { skip no-circles "nm not installed (binutils)"; exit 0; }
make -s -C "$ROOT" all build/ldshim-check >/dev/null 2>&1 || { fail no-circles-build "make failed"; exit 0; }
# ldshim-cache is built in one step: its files one by one, for their symbols.
O=$T/no-circles/cache-tool
rm -rf "$O"; mkdir -p "$O"
for f in "$ROOT"/tools/ldshim-cache/*.c; do
	${CC:-gcc} -std=gnu11 -O2 -I"$ROOT/shim" -c "$f" -o "$O/$(basename "$f" .c).o" || { fail no-circles-build "cc $f failed"; exit 0; }
done

# circles OBJECTS...: one line per loop of files (a strongly connected
# set of more than one), each file named by its object.
circles() {
	python3 - "$@" <<'EOF'
import subprocess, sys
defs, uses = {}, {}
for o in sys.argv[1:]:
    d, u = set(), set()
    for line in subprocess.run(["nm", o], capture_output=True, text=True).stdout.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "TDBRCVW":
            d.add(f[2])
        elif len(f) == 2 and f[0] == "U":
            u.add(f[1])
    defs[o], uses[o] = d, u
owner = {}
for o, d in defs.items():
    for s in d:
        owner.setdefault(s, o)
edges = {o: {owner[s] for s in uses[o] if s in owner and owner[s] != o} for o in defs}
# Tarjan's strongly connected components.
index, low, stack, on, out = {}, {}, [], set(), []
def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v); on.add(v)
    for w in sorted(edges[v]):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        c = []
        while True:
            w = stack.pop(); on.discard(w); c.append(w)
            if w == v:
                break
        if len(c) > 1:
            out.append(" <-> ".join(sorted(x.rsplit("/", 1)[1] for x in c)))
for v in sorted(defs):
    if v not in index:
        visit(v)
print("\n".join(sorted(out)))
EOF
}

# The shim's C files (the assembly entry calls ldshim_main and is jumped
# to from it: the boundary with arch/, not a loop among files). What
# main.c and explicit.c share is in prepare.c, below both.
check_eq no-circles-shim "" "$(circles "$BUILD"/obj/shim/*.o)"
check_eq no-circles-ldshim-check "" "$(circles "$BUILD"/check-tool/*.o)"
check_eq no-circles-ldshim-cache "" "$(circles "$O"/*.o)"

# Headers: none includes itself through the others.
got=$(cd "$ROOT" && python3 - shim/*.h trampoline/*.h tools/*/*.h <<'EOF'
import os, re, sys
inc = {}
for h in sys.argv[1:]:
    d = os.path.dirname(h)
    inc[h] = set()
    for m in re.finditer(r'^#include "([^"]+)"', open(h).read(), re.M):
        for c in (os.path.join(d, m.group(1)), os.path.join("shim", m.group(1))):
            if c in sys.argv[1:]:
                inc[h].add(c)
                break
def loop(h, seen):
    for n in inc[h]:
        if n in seen or loop(n, seen + [n]):
            return True
    return False
print("\n".join(h for h in sorted(inc) if loop(h, [h])))
EOF
)
check_eq no-circles-headers "" "$got"
