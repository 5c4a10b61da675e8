# The configuration file: a foreign program started with no environment
# at all (env -i) inside the simulated NixOS, with only the file; library
# sets per program, by path and by build-id; precedence; files that must
# be ignored; malformed files; ldshim --config; explicit invocation.
. "$(dirname "$0")/../lib.sh"
is_root || { skip config "needs root for the simulated NixOS and root-owned files"; exit 0; }
W=$T/config
rm -rf "$W"
mkdir -p "$W/v1" "$W/v2" "$W/global" "$W/home/.config" "$W/ld2"
C=$W/ldshim.conf
for v in v1 v2 global; do
	cc_prog "$W/$v/libver.so.1" tests/config/libver.c -- -shared -fPIC -DVERSION="\"$v\"" -Wl,-soname,libver.so.1
done
# Three programs needing the same soname; each a distinct build-id.
for p in progA progB progC; do
	cc_prog "$W/$p" tests/config/ver.c -- -L"$W/global" -l:libver.so.1 -Wl,--build-id=sha1 -DNAME="\"$p\""
done
ln -sf progA "$W/linkA"
BID_B=$(readelf -n "$W/progB" | sed -n 's/.*Build ID: //p')
store_init
say_start "a user's NIX_LD_LIBRARY_PATH, no XDG_RUNTIME_DIR" "${NIX_ENV[@]}"
cp -L "$STORE_LDSO" "$W/ld2/ld.so"
if ! make -s -C "$ROOT" B="$W/shim" CONFIG_PATH="$C" \
	DEFAULT_NIX_LD="$W/no-such-ld.so" DEFAULT_NIX_LD_LIBRARY_PATH="$W/no-such-dir" all >/dev/null 2>"$W/make.err"; then
	fail config-shim-build "make of the ldshim variant failed: $(head -c 600 "$W/make.err")"
	exit 0
fi
S=$W/shim/ldshim
conf() { cat > "$C"; chown root:root "$C"; chmod 644 "$C"; }
# run [VAR=VALUE...] PROG [ARGS]: in the simulated NixOS with exactly
# these variables (none: env -i).
run() {
	local vars=() f
	while [ $# -gt 0 ] && [[ $1 == *=* ]]; do vars+=("$1"); shift; done
	f=$(mktemp "$W/env.XXXXXX")
	[ ${#vars[@]} = 0 ] || printf '%s\0' "${vars[@]}" > "$f"
	"$SIM" --ldshim "$S" --env-file "$f" -- "$@" 2>&1
}

conf <<EOF
# the global settings
ld.so = $STORE_LDSO
library-path = $STORE/lib:$W/global

[program $W/progA]
library-path = $W/v1

[build-id $BID_B]
library-path = $W/v2
EOF
check_eq config-env-i-global "libver global" "$(run "$W/progC")"
check_eq config-program-by-path "libver v1" "$(run "$W/progA")"
check_eq config-program-by-build-id "libver v2" "$(run "$W/progB")"
check_eq config-program-by-symlink "libver v1" "$(run "$W/linkA")"
check_eq config-relative-name "libver v1" "$(cd "$W" && run ./progA)"
check_eq config-override-mode "libver v1 libver v2 libver global" \
	"$(echo $(run NIX_LD_MODE=override "$W/progA"; run NIX_LD_MODE=override "$W/progB"; run NIX_LD_MODE=override "$W/progC"))"
# The environment beats the file for the global path; the program's own
# directories still come first.
check_eq config-env-beats-file "libver v2" "$(run "NIX_LD_LIBRARY_PATH=$STORE/lib:$W/v2" "$W/progC")"
check_eq config-program-before-env "libver v1" "$(run "NIX_LD_LIBRARY_PATH=$STORE/lib:$W/v2" "$W/progA")"
out=$(run NIX_LD_LOG=info "$W/progA" | grep 'library path')
case $out in *"$W/v1:$STORE/lib:$W/global ($C:6 + $C:3)"*) pass config-log-sources ;;
*) fail config-log-sources "expected the combined path and both sources, got: $out" ;; esac

# Explicit invocation and ldd use the same sets (Debian's ld.so has no
# room for a cache's name: --library-path, the last resort's or override
# mode's).
names() { sed -n 's/^\t*libver.so.1 => \([^ ]*\).*/\1/p'; }
check_eq config-explicit-run "libver v1" "$(run "$INTERP" "$W/progA")"
check_eq config-explicit-list-path "$W/v1/libver.so.1" "$(run "$INTERP" --list "$W/progA" | names)"
check_eq config-explicit-list-build-id "$W/v2/libver.so.1" "$(run "$INTERP" --list "$W/progB" | names)"
check_eq config-explicit-override "$W/v2/libver.so.1" "$(run NIX_LD_MODE=override "$INTERP" --list "$W/progB" | names)"

# A program that needs its own ld.so (e.g. a newer glibc).
conf <<EOF
ld.so = $STORE_LDSO
library-path = $STORE/lib:$W/global
mode = override
[program $W/progA]
x86_64_linux.ld.so = $W/ld2/ld.so
aarch64_linux.ld.so = /elsewhere/ld.so
EOF
out=$(run NIX_LD_LOG=info "$W/progA")
case $out in *"ld.so $W/ld2/ld.so ($C:5)"*"override mode"*"libver global"*) pass config-program-ldso ;;
*) fail config-program-ldso "expected $W/ld2/ld.so from $C:5 and override mode, got: $out" ;; esac
out=$(run "NIX_LD=$W/no-such" NIX_LD_LOG=info "$W/progC")
case $out in *"no-such: No such file"*) pass config-env-ldso-beats-file ;;
*) fail config-env-ldso-beats-file "expected NIX_LD to win for an unmatched program, got: $out" ;; esac

# ldshim --config: each value and where it came from.
got=$("$S" --config "$W/progA")
want="program: $W/progA (build-id $(readelf -n "$W/progA" | sed -n 's/.*Build ID: //p'))
system file: $C: read
user file: (not read: the system file has no allow-user-config = yes)
matching section: [program $W/progA] ($C:4)
mode = override ($C:3)
ld.so = $W/ld2/ld.so ($C:5)
library-path = $STORE/lib:$W/global ($C:2)
library-cache = (none named)"
check_eq config-print "$want" "$got"
got=$(env -i NIX_LD_MODE=fallback "NIX_LD_LIBRARY_PATH=/x" "$S" --config | sed -n '/^mode\|^library-path/p')
check_eq config-print-env-sources "mode = fallback (NIX_LD_MODE)
library-path = /x (NIX_LD_LIBRARY_PATH)" "$got"

# Files that must not be trusted: ignored with a warning.
conf <<EOF
ld.so = $STORE_LDSO
library-path = $STORE/lib:$W/global
EOF
chmod 664 "$C"
out=$(run NIX_LD_LOG=warn "$W/progC")
case $out in *"$C: writable by group or others: ignored"*"no-such-ld.so: No such file"*) pass config-group-writable-ignored ;;
*) fail config-group-writable-ignored "expected a warning and the built-in default, got: $out" ;; esac
chmod 644 "$C"; chown 65534 "$C"
out=$(run NIX_LD_LOG=warn "$W/progC")
case $out in *"$C: not owned by root: ignored"*) pass config-user-owned-ignored ;;
*) fail config-user-owned-ignored "expected a warning, got: $out" ;; esac
out=$(run "$W/progC"); rc=$?
case "$rc $out" in "127 "*"No such file"*) pass config-ignored-silent-at-error-level ;;
*) fail config-ignored-silent-at-error-level "expected only the ld.so error, got rc $rc: $out" ;; esac
chown root "$C"

# The user's file: only when the system file allows it; it beats the
# system file, the environment beats it.
conf <<EOF
ld.so = $STORE_LDSO
library-path = $STORE/lib:$W/global
allow-user-config = yes
EOF
printf 'library-path = %s\n[program %s]\nlibrary-path = %s\n' "$STORE/lib:$W/v2" "$W/progB" "$W/v1" > "$W/home/.config/ldshim.conf"
chmod 644 "$W/home/.config/ldshim.conf"
check_eq config-user-file "libver v2" "$(run "HOME=$W/home" "$W/progC")"
check_eq config-user-file-program "libver v1" "$(run "HOME=$W/home" "$W/progB")"
mkdir -p "$W/xdg" && cp "$W/home/.config/ldshim.conf" "$W/xdg/" && sed -i "s|$W/v2|$W/v1|" "$W/xdg/ldshim.conf"
check_eq config-user-file-xdg "libver v1" "$(run "HOME=$W/home" "XDG_CONFIG_HOME=$W/xdg" "$W/progC")"
check_eq config-user-file-env-wins "libver global" "$(run "HOME=$W/home" "NIX_LD_LIBRARY_PATH=$STORE/lib:$W/global" "$W/progC")"
chown 65534 "$W/home/.config/ldshim.conf"
out=$(run "HOME=$W/home" NIX_LD_LOG=warn "$W/progC")
case $out in *"not owned by the user: ignored"*"libver global"*) pass config-user-file-foreign-owner ;;
*) fail config-user-file-foreign-owner "expected a warning and the system file's path, got: $out" ;; esac
chown root "$W/home/.config/ldshim.conf"
sed -i '/allow-user-config/d' "$C"
check_eq config-user-file-not-allowed "libver global" "$(run "HOME=$W/home" "$W/progC")"

# Malformed files: warnings with file and line, the good lines used, no crash.
conf <<EOF
ld.so
library-path =
mode = sideways
= value
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
riscv64_linux.library-path = $W/v1
EOF
cat >> "$C" <<EOF
[program $W/progC]
library-path = $W/global
EOF
printf '\n[program /x\0y]\nlibrary-path = %s\nld.so = %s\n' "$W/v1" "$STORE_LDSO" >> "$C"
out=$(run NIX_LD_LOG=warn "NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$STORE/lib" "$W/progC"); rc=$?
want_lines="$C:1: expected key = value 'ld.so', line skipped
$C:2: missing value for 'library-path', line skipped
$C:3: mode is fallback or override, line skipped
$C:4: missing key, line skipped
$C:5: unknown key 'unknown-key', line skipped
$C:6: [program PATH] needs an absolute path, line skipped
$C:8: unknown section (program PATH, build-id HEX) 'something else', line skipped
$C:10: [build-id HEX] needs an even number of hex digits (2 to 128), line skipped
$C:12: section header without ']', line skipped
$C:15: only before the first section: 'mode', line skipped
$C:16: ld.so needs an absolute path, line skipped
$C:17: library-path needs absolute directories separated by ':', line skipped
$C:22: NUL byte in the line, line skipped"
check_eq config-malformed-warnings "$want_lines" "$(sed -n 's/^ldshim: //p' <<<"$out" | grep "^$C:")"
# Lines after a broken header belong to no section; the good section works.
check_eq config-malformed-rest-used "rc=0 libver global" "rc=$rc $(grep libver <<<"$out")"

# Binary junk, a line of 1 MB (a file over 64 KiB: ignored whole), a 60 KB
# line within the limit, CRLF lines, no final newline.
head -c 8192 /dev/urandom > "$C.junk"; conf < "$C.junk"
out=$(run NIX_LD_LOG=warn "NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$STORE/lib:$W/global" "$W/progC"); rc=$?
case "$rc $out" in "0 "*"$C:"*"libver global") pass config-binary-junk ;;
*) fail config-binary-junk "expected warnings and a normal start, got rc $rc: $(head -c 600 <<<"$out")" ;; esac
head -c 1048576 /dev/zero | tr '\0' 'a' | conf
out=$(run NIX_LD_LOG=warn "NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$STORE/lib:$W/global" "$W/progC"); rc=$?
check_eq config-1mb-line "rc=0 ldshim: $C: larger than 65536 bytes: ignored
libver global" "rc=$rc $out"
{ printf 'ld.so = %s\r\nlibrary-path = %s\r\n# ' "$STORE_LDSO" "$STORE/lib:$W/global"
  head -c 61440 /dev/zero | tr '\0' 'x'; printf '\nkey%s = 1\n' "$(head -c 2000 /dev/zero | tr '\0' 'k')"
  printf '[program %s]\nlibrary-path = %s' "$W/progC" "$W/v2"; } | conf
out=$(run NIX_LD_LOG=warn "$W/progC"); rc=$?
check_eq config-long-lines-crlf "rc=0 ldshim: $C:4: unknown key, line skipped
libver v2" "rc=$rc $out"

# Cost: a missing file is one failed openat; a file is openat, statx,
# pread64, close; [program] sections add one readlinkat.
if command -v strace >/dev/null; then
	# strace runs outside (inside, no dynamically linked tool starts) and
	# follows the simulator into the program.
	trace() {  # trace [VAR=VALUE...] PROG: the counts for one start
		local o f vars=(); o=$(mktemp "$W/strace.XXXXXX"); f=$(mktemp "$W/env.XXXXXX")
		while [[ $1 == *=* ]]; do vars+=("$1"); shift; done
		[ ${#vars[@]} = 0 ] || printf '%s\0' "${vars[@]}" > "$f"
		strace -f -qq -o "$o" -e trace=openat,readlinkat "$SIM" --ldshim "$S" --env-file "$f" -- "$@" >/dev/null 2>&1
		echo "$(grep -c "\"$C\"" "$o") $(grep -c 'readlinkat(.*/proc/self/exe' "$o")"
	}
	rm -f "$C"
	check_eq config-cost-missing "1 0" "$(trace "NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$STORE/lib:$W/global" "$W/progC")"
	conf <<EOF
ld.so = $STORE_LDSO
library-path = $STORE/lib:$W/global
EOF
	check_eq config-cost-present "1 0" "$(trace "$W/progC")"
	printf '[program %s]\nlibrary-path = %s\n' "$W/progA" "$W/v1" >> "$C"
	check_eq config-cost-program-path "1 1" "$(trace "$W/progA")"
else
	skip config-cost "strace not installed (apt-get install strace)"
fi

# The NixOS module's file: nix/module.nix parses, and the text its
# nix/ldshim-conf.nix renders (builtins only, no nixpkgs here) is read by
# ldshim without a warning and gives each program its set.
if command -v nix-instantiate >/dev/null; then
	if out=$(nix-instantiate --parse "$ROOT/nix/module.nix" 2>&1 >/dev/null); then pass config-module-parse
	else fail config-module-parse "nix-instantiate --parse failed: $out"; fi
	if nix-instantiate --eval --strict --json -E "import $ROOT/nix/ldshim-conf.nix {
		ldso = \"$STORE_LDSO\"; libraryPath = \"$STORE/lib:$W/global\"; mode = \"override\";
		programs = { \"$W/progA\" = { libraryPath = \"$W/v1\"; }; };
		buildIds = { \"$BID_B\" = { libraryPath = \"$W/v2\"; }; }; }" 2>"$W/nix.err" |
		python3 -c 'import json,sys; sys.stdout.write(json.load(sys.stdin))' > "$W/module.conf"; then
		conf < "$W/module.conf"
		check_eq config-module-file "libver v1 libver v2 libver global" \
			"$(echo $(run NIX_LD_LOG=warn "$W/progA"; run NIX_LD_LOG=warn "$W/progB"; run NIX_LD_LOG=warn "$W/progC"))"
	else
		fail config-module-file "nix-instantiate --eval failed: $(head -c 400 "$W/nix.err")"
	fi
else
	skip config-module "nix-instantiate not installed (Debian package nix-bin)"
fi
