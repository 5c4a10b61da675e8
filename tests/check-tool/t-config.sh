# ldshim-check and the configuration files: it reads them with the shim's
# own code, so for every configuration of a corpus (global settings,
# sections by path and by build-id, system prefixes, library caches, the
# user's file, files to ignore, malformed lines), under several
# environments and for several programs, the settings it reports and
# their sources (file:line) must be what `ldshim --config PROGRAM` says,
# line for line. Then: its verdict follows a section's library path, and
# it matches a program by its real path as a start does (a link, a
# relative name).
. "$(dirname "$0")/../lib.sh"
CHECK=$BUILD/ldshim-check
[ -x "$CHECK" ] || make -s -C "$ROOT" >/dev/null || { fail check-config-build "make failed"; exit 0; }
W=$T/check-config
rm -rf "$W"
mkdir -p "$W/v1" "$W/v2" "$W/global" "$W/home/.config" "$W/xdg"
C=$W/ldshim.conf
for v in v1 v2 global; do
	cc_prog "$W/$v/libver.so.1" "$ROOT/tests/config/libver.c" -- -shared -fPIC -DVERSION="\"$v\"" -Wl,-soname,libver.so.1
done
for p in progA progB progC; do
	cc_prog "$W/$p" "$ROOT/tests/config/ver.c" -- -L"$W/global" -l:libver.so.1 -Wl,--build-id=sha1 -DNAME="\"$p\""
done
ln -sf progA "$W/linkA"
bid() { readelf -n "$1" | sed -n 's/.*Build ID: //p'; }
BID_A=$(bid "$W/progA") BID_B=$(bid "$W/progB")
# The shim with this file as its system file; every default as in build/.
if ! make -s -C "$ROOT" B="$W/shim" CONFIG_PATH="$C" all >/dev/null 2>"$W/make.err"; then
	fail check-config-shim-build "make of the ldshim variant failed: $(head -c 600 "$W/make.err")"
	exit 0
fi
S=$W/shim/ldshim
conf() { rm -f "$C"; cat > "$C"; chmod 644 "$C"; }
user_conf() { cat > "$W/home/.config/ldshim.conf"; chmod 644 "$W/home/.config/ldshim.conf"; }

# The settings block of each, in ldshim --config's words: ldshim's
# library-cache lines without their verdict (ldshim-check gives its own,
# compared with the shim's in t-cache.sh).
shim_says() {  # VARS... -- [PROG]
	local v=(); while [ "$1" != -- ]; do v+=("$1"); shift; done; shift
	env -i "${v[@]}" "$S" --config "$@" 2>&1 |
		sed '/^program: /d; /^without a library cache/d; s/^\(library-cache = .*)\): \(serves\|not used\).*$/\1/'
}
check_says() {  # VARS... -- FILE
	local v=(); while [ "$1" != -- ]; do v+=("$1"); shift; done; shift
	env -i "${v[@]}" "$CHECK" --system-config "$C" -v "$@" 2>&1 |
		sed -n 's/^  \(system file: \|user file: \|matching section: \|mode = \|ld\.so = \|library-path = \|library-cache = \)/\1/p'
}
# agree NAME: every environment and program against the current files.
# A library stands for "no program": the global settings only.
ENVS=("-" "NIX_LD=/env/ld.so NIX_LD_LIBRARY_PATH=/env/lib NIX_LD_MODE=fallback"
	"NIX_LD_x86_64_linux=/env/sys/ld.so NIX_LD_LIBRARY_CACHE=/env/cache NIX_LD_MODE=override"
	"HOME=$W/home" "HOME=$W/home XDG_CONFIG_HOME=$W/xdg NIX_LD_LIBRARY_PATH_x86_64_linux=/env/sys/lib")
agree() {
	local name=$1 e p bad=0 want got vars
	for e in "${ENVS[@]}"; do
		vars=(); [ "$e" = - ] || read -ra vars <<<"$e"
		for p in progA progB progC lib; do
			if [ $p = lib ]; then
				want=$(shim_says "${vars[@]}" --)
				got=$(check_says "${vars[@]}" -- "$W/v1/libver.so.1")
			else
				want=$(shim_says "${vars[@]}" -- "$W/$p")
				got=$(check_says "${vars[@]}" -- "$W/$p")
			fi
			if [ "$want" != "$got" ] || ! grep -q '^ld\.so = ' <<<"$want"; then
				fail "check-config-agrees-$name" "env '$e', $p: ldshim --config (-) and ldshim-check (+) differ:"
				diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed -n '1,30s/^/    /p'
				bad=1
				break 2
			fi
		done
	done
	[ $bad = 1 ] || pass "check-config-agrees-$name"
}

rm -f "$C"
agree no-file

conf <<EOF
ld.so = /conf/ld.so
library-path = /conf/lib:$W/global
library-cache = /conf/cache
mode = override
EOF
agree global

conf <<EOF
# sections by path and by build-id, system prefixes
ld.so = /conf/ld.so
x86_64_linux.library-path = /conf/sys/lib
library-path = /conf/lib

[program $W/progA]
library-path = $W/v1
x86_64_linux.ld.so = /conf/progA/ld.so
aarch64_linux.ld.so = /elsewhere/ld.so
library-cache = /conf/progA/cache

[build-id $BID_B]
library-path = $W/v2:/conf/more
i686_linux.library-path = /elsewhere/lib
EOF
agree sections

conf <<EOF
library-path = $W/global
[build-id ${BID_A^^}]
library-path = $W/v2
[program $W/progA]
library-path = $W/v1
ld.so = /conf/a1/ld.so
[program $W/progA]
ld.so = /conf/a2/ld.so
x86_64_linux.library-cache = /conf/a/sys-cache
library-cache = /conf/a/cache
EOF
agree several-sections-match

conf <<EOF
ld.so
library-path =
mode = sideways
unknown-key = 1
[program relative/path]
library-path = $W/v1
[something else]
library-path = $W/v1
[build-id xyz]
library-path = $W/v1
[program $W/progC
library-path = $W/v1
[build-id $BID_B]
mode = override
ld.so = relative/ld.so
library-path = $W/v2:relative
[program $W/progC]
library-path = $W/global
EOF
agree malformed

conf <<EOF
ld.so = /conf/ld.so
library-path = /conf/lib
library-cache = /conf/cache
allow-user-config = yes
[program $W/progA]
library-path = $W/v1
EOF
user_conf <<EOF
library-path = /user/lib
library-cache = /user/cache
mode = override
[program $W/progA]
ld.so = /user/progA/ld.so
library-cache = /user/progA/cache
[build-id $BID_B]
library-path = $W/v2
EOF
printf 'ld.so = /xdg/ld.so\n' > "$W/xdg/ldshim.conf"; chmod 644 "$W/xdg/ldshim.conf"
agree user-file
chmod 664 "$W/home/.config/ldshim.conf"
agree user-file-group-writable
chmod 644 "$W/home/.config/ldshim.conf"

conf <<EOF
ld.so = /conf/ld.so
EOF
chmod 664 "$C"
agree system-file-group-writable
{ printf 'ld.so = /conf/ld.so\n# '; head -c 70000 /dev/zero | tr '\0' x; echo; } | conf
agree system-file-too-big
mkdir -p "$W/dir.conf"; rm -f "$C"; ln -s "$W/dir.conf" "$C"
agree system-file-a-directory
rm -f "$C"

# The verdict follows the section's library path, and a program is
# matched by its real path, as a start does, through a link or a
# relative name (ldshim --config, explicit, matches the name as given).
conf <<EOF
library-path = $W/global
[program $W/progA]
library-path = $W/v1
EOF
out=$(env -i "$CHECK" --system-config "$C" "$W/progA")
case $out in *"libver.so.1 => $W/v1/libver.so.1"*) pass check-config-verdict-uses-section ;;
*) fail check-config-verdict-uses-section "expected libver.so.1 from $W/v1, got: $out" ;; esac
sect="matching section: [program $W/progA] ($C:2)"
got=$(check_says -- "$W/linkA" | grep '^matching')
check_eq check-config-link-matches-real-path "$sect" "$got"
got=$(cd "$W" && check_says -- ./progA | grep '^matching')
check_eq check-config-relative-name-matches "$sect" "$got"
out=$(env -i "$CHECK" --system-config "$C" "$W/progC")
case $out in *"libver.so.1 => $W/global/libver.so.1"*"library-path = $W/global ($C:1)"*|\
	*"library-path = $W/global ($C:1)"*"libver.so.1 => $W/global/libver.so.1"*)
	pass check-config-shown-when-a-file-is-read ;;
*) fail check-config-shown-when-a-file-is-read "expected the settings and libver from $W/global, got: $out" ;; esac

# By default the system file is the build's CONFIG_PATH, as ldshim's.
cp=$(make -s -C "$ROOT" print-config-path)
got=$(env -i "$CHECK" -v "$W/progC" | sed -n 's/^  system file: \([^:]*\):.*/\1/p')
check_eq check-config-default-path "$cp" "$got"

# JSON: the same settings.
json=$(env -i NIX_LD_MODE=override "$CHECK" --system-config "$C" --json "$W/progA" | python3 -c '
import json, sys
s = json.load(sys.stdin)["files"][0]["settings"]
print(s["mode"], s["mode_from"], s["library_path"], s["library_path_from"], s["matching_sections"])')
check_eq check-config-json "override NIX_LD_MODE $W/v1:$W/global $C:3 + $C:1 ['[program $W/progA] ($C:2)']" "$json"
