# Three levels deep, both directions: a NixOS bash (its own libraries by
# RUNPATH) runs a foreign python3 (through ldshim), which runs a NixOS
# program (nixchild: its own libgreet by RUNPATH, a poisoned one on the
# injected path), which becomes a foreign env (through ldshim again).
# Every level reports the environment it got. Then the same tree with
# the leak of a nix-ld-style loader: emulated by bash setting
# LD_LIBRARY_PATH for level 2, and for real with nix-ld 1.2.3 (C) at the
# interpreter path: the NixOS program is poisoned there.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/e2e.sh"
is_root || { skip tree "needs root for the simulated NixOS"; exit 0; }
e2e_init
nixbash=$E/nixos/bash
nixos_prog "$nixbash" /bin/bash "$(e2e_store nixbash /bin/bash)"
version tree "NixOS $(/bin/bash --version | head -1) -> $(/usr/bin/python3 --version) -> nixchild -> $(/usr/bin/env --version | head -1)"
d=$(e2e_store tree /usr/bin/python3.11 /usr/bin/env /usr/lib/python3.11/lib-dynload/*.so)
peer=$SHARED/peers/nix-ld-c-1.2.3-bf5aa84

# tree NAME LOADER [leak]: run the tree; OUT=$E/tree-NAME.
tree() {
	local o=$E/tree-$1
	rm -rf "$o"; mkdir -p "$o"
	user_env "$d" "NIXCHILD_LOG=$o/level3"
	LOADER=$2 run_sim "$o/run" "$nixbash" "$SRC/level1.sh" "$o" "$NIXCHILD" ${3:-}
	echo "rc=$?" >> "$o/run"
}
# side NAME: one line of the comparison: what level 3 loaded and whether
# levels 2-4 have an LD_LIBRARY_PATH the user never set.
side() {
	local o=$E/tree-$1 l3 n
	l3=$(grep -h -m1 '^nixchild\|POISON' "$o/level3" "$o/run" 2>/dev/null | head -1 |
		sed 's/ pid=.*//; s/.*POISON.*/POISON, aborted/')
	printf 'SIDE %-16s level 3 (NixOS): %-23s LD_LIBRARY_PATH in levels 2/3/4:' "$1" "${l3:-no report}"
	for n in 2 3 4; do
		if [ ! -s "$o/level$n" ]; then printf ' (did not run)'
		elif grep -q '^env LD_LIBRARY_PATH=' "$o/level$n"; then printf ' yes'
		else printf ' no'; fi
	done
	echo
}
# Bash exports these to its children; nothing else may differ.
nobash() { grep -Ev '^env (PWD|SHLVL|_|OLDPWD)=' "$1" > "$1.nobash"; echo "$1.nobash"; }

tree ldshim "$LDSHIM"
o=$E/tree-ldshim
check_env tree-level1-nixos-bash "$(nobash "$o/level1")"
check_env tree-level2-foreign-python "$(nobash "$o/level2")"
check_children tree-level3-nixos-own-lib "$o/level3" 1 'PWD|SHLVL|_|OLDPWD'
check_env tree-level4-foreign-env "$(nobash "$o/level4")"

tree leak-emulated "$LDSHIM" leak
if [ -e "$peer" ]; then tree nix-ld-c-1.2.3 "$peer"; fi
side ldshim; side leak-emulated; [ -e "$peer" ] && side nix-ld-c-1.2.3
if grep -qh POISON "$E/tree-leak-emulated/run" "$E/tree-leak-emulated/level3" 2>/dev/null; then
	pass tree-control-leak-poisons
else fail tree-control-leak-poisons "expected the NixOS program to load the poisoned libgreet when LD_LIBRARY_PATH leaks: $(tr '\n' '|' < "$E/tree-leak-emulated/run")"; fi
if [ ! -e "$peer" ]; then skip tree-peer-nix-ld-c-leaks "$peer absent (shared/peers is not in this checkout's tree)"
elif grep -qh POISON "$E/tree-nix-ld-c-1.2.3/run" "$E/tree-nix-ld-c-1.2.3/level3" 2>/dev/null; then
	pass tree-peer-nix-ld-c-leaks
else fail tree-peer-nix-ld-c-leaks "expected nix-ld 1.2.3 to leak the injected path into the NixOS program: $(tr '\n' '|' < "$E/tree-nix-ld-c-1.2.3/run")"; fi
