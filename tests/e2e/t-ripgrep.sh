# ripgrep, a Rust CLI from Debian's .deb (unpacked, not installed): it
# searches a tree (libpcre2 from the store for -P) and runs a NixOS
# program as its --pre preprocessor for each file it searches.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/e2e.sh"
is_root || { skip ripgrep "needs root for the simulated NixOS"; exit 0; }
e2e_init
deb=$E/debs; mkdir -p "$deb"
rg=$deb/ripgrep/usr/bin/rg
if [ ! -x "$rg" ]; then
	(cd "$deb" && apt-get download ripgrep) > "$deb/ripgrep.log" 2>&1 &&
		dpkg-deb -x "$deb"/ripgrep_*.deb "$deb/ripgrep" ||
		{ skip ripgrep "apt-get download ripgrep failed (no Debian mirror reachable?): $(tail -1 "$deb/ripgrep.log")"; exit 0; }
fi
version ripgrep "$(basename "$deb"/ripgrep_*.deb), interpreter $(readelf -p .interp "$rg" | sed -n "s/.*\] *//p")"
d=$(e2e_store ripgrep "$rg")
o=$E/ripgrep; rm -rf "$o"; mkdir -p "$o/tree/a/b"
printf 'alpha 1\nneedle 22\n' > "$o/tree/a/one.txt"
printf 'beta\nneedle 333\nneedle x\n' > "$o/tree/a/b/two.txt"
printf 'nothing here\n' > "$o/tree/three.txt"
user_env "$d"

run_sim "$o/version" "$rg" --version; rc=$?
ran rg-version "$o/version" $rc && case $(head -1 "$o/version") in
	ripgrep*) pass rg-version ;; *) fail rg-version "expected 'ripgrep ...', got $(head -1 "$o/version")" ;; esac
run_sim "$o/search" "$rg" --sort path -P -o 'needle \d+' "$o/tree"; rc=$?
ran rg-search-pcre2 "$o/search" $rc && check_eq rg-search-pcre2 "$o/tree/a/b/two.txt:needle 333
$o/tree/a/one.txt:needle 22" "$(cat "$o/search")"
# --pre: rg runs the NixOS child for every file and searches its output,
# the child's report (the empty pattern matches every line).
run_sim "$o/pre" "$rg" --sort path --pre "$NIXCHILD" --no-filename --no-line-number '' "$o/tree"; rc=$?
ran rg-pre-nixos-child-own-lib "$o/pre" $rc && check_children rg-pre-nixos-child-own-lib "$o/pre" 3
