# level1.sh OUT NIXCHILD [leak]: run by a NixOS bash (level 1). Each level
# writes the environment it was given to OUT/levelN:
#   1 NixOS bash -> 2 foreign python3 -> 3 NixOS nixchild -> 4 foreign env
# With "leak", bash starts level 2 with LD_LIBRARY_PATH set to the Nix
# library path, as a nix-ld-style loader that does not scrub leaves it.
out=$1 nixchild=$2
while IFS= read -r -d '' e; do printf 'env %s\n' "$e"; done < /proc/$$/environ > "$out/level1"
level2='
import os, subprocess, sys
out, nixchild = sys.argv[1:3]
with open(out + "/level2", "w") as f:
    f.writelines(f"env {k}={v}\n" for k, v in os.environ.items())
r = subprocess.run([nixchild, "--exec", "/usr/bin/env"], capture_output=True, text=True)
with open(out + "/level4", "w") as f:
    f.writelines(f"env {l}\n" for l in r.stdout.splitlines() if "=" in l)
print("level3:", r.returncode, r.stdout.splitlines()[0] if "POISON" in r.stdout else "")
'
if [ "${3:-}" = leak ]; then
	LD_LIBRARY_PATH=$NIX_LD_LIBRARY_PATH /usr/bin/python3 -c "$level2" "$out" "$nixchild"
else
	/usr/bin/python3 -c "$level2" "$out" "$nixchild"
fi
