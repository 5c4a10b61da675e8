# NIX_LD_MODE=fallback: the Nix library path is searched where a
# distribution's default directories would be, after the program's own
# RUNPATH; NIX_LD_MODE=override (nix-ld's behaviour) puts it first.
. "$(dirname "$0")/../lib.sh"
is_root || { skip fallback "needs root for the simulated NixOS"; exit 0; }
F=$T/fallback
mkdir -p "$F/nix" "$F/app/lib" "$F/user"
cc_prog "$F/nix/libfoo.so.1" tests/fallback/foo.c -- -shared -fPIC -DVERSION='"A-nix"' -Wl,-soname,libfoo.so.1
cc_prog "$F/app/lib/libfoo.so.1" tests/fallback/foo.c -- -shared -fPIC -DVERSION='"B-bundled"' -Wl,-soname,libfoo.so.1
cc_prog "$F/user/libfoo.so.1" tests/fallback/foo.c -- -shared -fPIC -DVERSION='"C-user"' -Wl,-soname,libfoo.so.1
cc_prog "$F/nix/libbar.so.1" tests/fallback/bar.c -- -shared -fPIC -Wl,-soname,libbar.so.1 -L"$F/nix" -l:libfoo.so.1
cc_prog "$F/app/bundled" tests/fallback/app.c -- -L"$F/nix" -l:libfoo.so.1 -ldl -Wl,--enable-new-dtags -Wl,-rpath,'$ORIGIN/lib'
cc_prog "$F/app/plain" tests/fallback/app.c -- -L"$F/nix" -l:libfoo.so.1 -ldl
store_init
say_start "a user's NIX_LD_LIBRARY_PATH, no XDG_RUNTIME_DIR; the last-*, auto-* and system-* cases take each start" "${NIX_ENV[@]}"
store_add /bin/bash   # ldd is a bash script
run() {  # run MODE PROG [VAR=VALUE...] [COMMAND...] (PROG "": COMMAND only)
	local mode=$1 prog=$2 vars=(); shift 2
	while [ $# -gt 0 ] && [[ $1 == *=* ]]; do vars+=("$1"); shift; done
	local envf; envf=$(mktemp)
	printf '%s\0' "NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$STORE/lib:$F/nix" "NIX_LD_MODE=$mode" "${vars[@]}" > "$envf"
	"$SIM" "${SIM_OPTS[@]}" --env-file "$envf" -- ${prog:+"$F/app/$prog"} "$@" 2>&1
	rm -f "$envf"
}
SIM_OPTS=()
# The search order under each start: the last resort (no cache home),
# the automatic cache (XDG_RUNTIME_DIR) and, with the Nix glibc, the
# system cache (no NIX_LD* variable; the store's and the Nix libraries as
# the module's directory). The checks after these take the start named
# on the suite's first line.
XR=$F/xr
rm -rf "$XR"; mkdir -m 700 "$XR"
FSYS=1111111111111111111111111111111f-nixos-system-fallback
starts="last auto"
if [ "$SIM_GLIBC" = nix ]; then
	sim_system "$FSYS" "$STORE/lib" "$F/nix" && starts="$starts system"
fi
run_start() {  # run_start START MODE PROG [VAR=VALUE...]
	local start=$1 mode=$2 prog=$3 envf; shift 3
	case $start in
	last) SIM_OPTS=("${NO_CACHE_HOME[@]}"); run "$mode" "$prog" "$@"; SIM_OPTS=() ;;
	auto) run "$mode" "$prog" "XDG_RUNTIME_DIR=$XR" "$@" ;;
	system)
		envf=$(mktemp)
		printf '%s\0' "NIX_LD_MODE=$mode" "$@" > "$envf"
		"$SIM" --current-system "/nix/store/$FSYS" --env-file "$envf" -- "$F/app/$prog" 2>&1
		rm -f "$envf" ;;
	esac
}
for s in $starts; do
	case $s in auto) c="$XR/ldshim/" ;; system) c="$SYSTEM_LIB/ld.so.cache" ;; esac
	out=$(run_start $s fallback plain NIX_LD_LOG=info)
	if [ $s = last ]; then
		case $out in *"served by the library cache"*) fail "$s-resort-start" "expected no cache, got: $out" ;;
		*"linked A-nix"*) pass "$s-resort-start" ;;
		*) fail "$s-resort-start" "expected the last resort's start, got: $out" ;; esac
	else case $out in *"served by the library cache $c"*"linked A-nix"*) pass "$s-cache-start" ;;
		*) fail "$s-cache-start" "expected the start served by $c, got: $out" ;; esac
	fi
	check_eq "$s-fallback-runpath-bundle-wins" "linked B-bundled
dlopen B-bundled
bar B-bundled
LD_AUDIT unset" "$(run_start $s fallback bundled)"
	check_eq "$s-fallback-no-runpath-gets-nix" "linked A-nix
dlopen A-nix
bar A-nix
LD_AUDIT unset" "$(run_start $s fallback plain)"
	check_eq "$s-fallback-user-path-beats-both" "linked C-user
dlopen C-user
bar C-user
LD_AUDIT unset" "$(run_start $s fallback bundled "LD_LIBRARY_PATH=$F/user")"
	check_eq "$s-override-nix-path-beats-bundle" "linked A-nix
dlopen A-nix
bar A-nix
LD_AUDIT unset" "$(run_start $s override bundled)"
done
[ "$SIM_GLIBC" = nix ] || skip system-cache-start "no $NIXGLIBC_TAR: Debian's ld.so has no room for the module's cache"

check_eq fallback-runpath-bundle-wins "linked B-bundled
dlopen B-bundled
bar B-bundled
LD_AUDIT unset" "$(run fallback bundled)"
check_eq fallback-no-runpath-gets-nix "linked A-nix
dlopen A-nix
bar A-nix
LD_AUDIT unset" "$(run fallback plain)"
check_eq fallback-user-path-beats-both "linked C-user
dlopen C-user
bar C-user
LD_AUDIT unset" "$(run fallback bundled "LD_LIBRARY_PATH=$F/user")"
check_eq override-nix-path-beats-bundle "linked A-nix
dlopen A-nix
bar A-nix
LD_AUDIT unset" "$(run override bundled)"
# A user's own LD_AUDIT is the user's: passed on as given.
out=$(run fallback bundled "LD_AUDIT=$F/none.so" 2>&1)
case $out in *"linked B-bundled"*"LD_AUDIT $F/none.so"*) pass fallback-user-audit-kept ;;
*) fail fallback-user-audit-kept "expected B-bundled and the user's LD_AUDIT, got: $out" ;; esac

# Explicit invocation and ldd report the resolution a real start gets:
# fallback (the last resort's --library-path, the program's RUNPATH
# first) keeps the bundled copy, override puts the Nix one first.
INTERP=/lib64/ld-linux-x86-64.so.2
names() { sed -n 's/^\t*\(libfoo.so.1\|libbar.so.1\) => \([^ ]*\).*/\1 \2/p'; }
check_eq fallback-explicit-run "linked B-bundled
dlopen B-bundled
bar B-bundled
LD_AUDIT unset" "$(run fallback "" "$INTERP" "$F/app/bundled" 2>&1)"
check_eq fallback-explicit-list "libfoo.so.1 $F/app/lib/libfoo.so.1" "$(run fallback "" "$INTERP" --list "$F/app/bundled" | names)"
check_eq fallback-explicit-list-plain "libfoo.so.1 $F/nix/libfoo.so.1" "$(run fallback "" "$INTERP" --list "$F/app/plain" | names)"
check_eq override-explicit-list "libfoo.so.1 $F/nix/libfoo.so.1" "$(run override "" "$INTERP" --list "$F/app/bundled" | names)"
check_eq fallback-ldd "libfoo.so.1 $F/app/lib/libfoo.so.1" "$(run fallback "" /usr/bin/ldd "$F/app/bundled" | names)"
# As a program's interpreter, ld.so's trace names the file really opened.
check_eq fallback-trace-names-real-file "libfoo.so.1 $F/nix/libfoo.so.1" "$(run fallback plain LD_TRACE_LOADED_OBJECTS=1 | names)"

# A vendor directory in the Nix path: libmid's RUNPATH is $ORIGIN/sub.
# Names reported are the real files, $ORIGIN of a library found through
# the Nix path is its own directory, and such a library can be dlopened
# and dlclosed again.
V=$F/vendor
cc_prog "$V/lib/sub/libsub.so" tests/fallback/foo.c -- -shared -fPIC -DVERSION='"sub"' -Wl,-soname,libsub.so
cc_prog "$V/lib/libmid.so" tests/fallback/mid.c -- -shared -fPIC -Wl,-soname,libmid.so -L"$V/lib/sub" -lsub -Wl,--enable-new-dtags -Wl,-rpath,'$ORIGIN/sub'
cc_prog "$V/lib/libplug.so" tests/fallback/foo.c -- -shared -fPIC -DVERSION='"plug"' -Wl,-soname,libplug.so
cc_prog "$F/app/origin" tests/fallback/origin.c -- -L"$V/lib" -lmid -ldl
for mode in fallback override; do
	out=$(env -i "NIX_LD=$STORE_LDSO" "NIX_LD_LIBRARY_PATH=$STORE/lib:$V/lib" "NIX_LD_MODE=$mode" "$SIM" -- "$F/app/origin" 2>&1)
	check_eq "$mode-origin-in-nix-path-library" "mid sub
phdr $V/lib/libmid.so
phdr $V/lib/sub/libsub.so
dladdr $V/lib/libmid.so
plug $V/lib/libplug.so
plug $V/lib/libplug.so
plug $V/lib/libplug.so" "$out"
done
