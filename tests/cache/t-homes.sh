# Start kind: the automatic cache, in every home (shim/cachehome.c).
# Where no cache is named for the Nix path, ldshim writes one in the first
# home that takes it: $XDG_RUNTIME_DIR/ldshim, /run/user/<uid>/ldshim,
# /run/ldshim (root), /tmp/ldshim-<uid>, /dev/shm/ldshim-<uid>. Services,
# cron jobs, containers and `env -i` have no XDG_RUNTIME_DIR and still get
# one; a home that is not the user's own 0700 directory is refused and left
# as it is; a full or read-only home is passed over and keeps no partial
# file; with no home at all the start takes the last resort.
# Runs the Nix-built glibc of ../shared/nixglibc (70 bytes of room for the
# cache name) in the simulated NixOS, each case with its own /run, /tmp
# and /dev/shm (tmpfs, as on NixOS) so nothing of the machine's is touched.
. "$(dirname "$0")/../lib.sh"
is_root || { skip homes "needs root for the simulated NixOS"; exit 0; }
TAR=$SHARED/nixglibc/glibc-2.36-nix.tar.xz
[ -e "$TAR" ] || { skip homes "no $TAR (the Nix-built glibc of ../shared/nixglibc)"; exit 0; }
H=$T/homes
rm -rf "$H"; mkdir -p "$H/app/lib"
chmod 755 "$H" "$H/app"
F=tests/fallback
G=8m1s7yq4f0sbzdhy8lq5z0ab5xgpwcxh-glibc-2.36
LIBS=0123456789abcdfghijklmnpqrsvwxyz-ldshim-test-libs
NS=$H/nixstore
mkdir -p "$NS/$LIBS/lib"
tar -xJf "$TAR" -C "$NS"
L=$NS/$LIBS/lib
cc_prog "$L/libfoo.so.1" $F/foo.c -- -shared -fPIC -DVERSION='"A-nix"' -Wl,-soname,libfoo.so.1
cc_prog "$H/app/lib/libfoo.so.1" $F/foo.c -- -shared -fPIC -DVERSION='"B-bundled"' -Wl,-soname,libfoo.so.1
cc_prog "$L/libbar.so.1" $F/bar.c -- -shared -fPIC -Wl,-soname,libbar.so.1 -L"$L" -l:libfoo.so.1
cc_prog "$L/libctorenv.so.1" tests/cache/ctorenv.c -- -shared -fPIC -Wl,-soname,libctorenv.so.1
cc_prog "$H/app/bundled" $F/app.c -- -L"$L" -l:libfoo.so.1 -ldl -Wl,--enable-new-dtags -Wl,-rpath,'$ORIGIN/lib'
cc_prog "$H/app/envprog" tests/cache/envprog.c -- -L"$L" -l:libctorenv.so.1
cc_prog "$T/asuser" tests/security/progs/asuser.c -- -static
chmod -R a+rX "$H"
NIXP=/nix/store/$LIBS/lib
LDSO=/nix/store/$G/lib/ld-linux-x86-64.so.2

# hrun SETUP [VAR=VALUE...] COMMAND...: in the simulated NixOS with exactly
# NIX_LD, NIX_LD_LIBRARY_PATH and the variables given, after SETUP (shell
# code) has run with fresh tmpfs at /run, /tmp and /dev/shm.
hrun() {
	local setup=$1 vars=() envf; shift
	while [ $# -gt 0 ] && [[ $1 == *=* ]]; do vars+=("$1"); shift; done
	envf=$(mktemp "$H/env.XXXX")
	printf '%s\0' "NIX_LD=$LDSO" "NIX_LD_LIBRARY_PATH=$NIXP" "${vars[@]}" > "$envf"
	unshare -m --propagation private -- bash -c '
		for d in /run /tmp /dev/shm; do mount -t tmpfs -o mode=1777 tmpfs "$d"; done
		chmod 755 /run
		'"$setup"'
		exec "$@"' hrun "$SIM" --nix-store "$NS" --env-file "$envf" --keep-run -- "$@" 2>&1
}
# home_of OUTPUT: the automatic cache a start used.
home_of() { sed -n 's/.*served by the library cache \(.*\): nothing injected.*/\1/p' <<<"$1"; }
NOBODY=0
nobody_reaches "$H/app/envprog" && NOBODY=1

out=$(hrun "mkdir -m 700 /run/xr" XDG_RUNTIME_DIR=/run/xr NIX_LD_LOG=info "$H/app/bundled")
case $(home_of "$out") in /run/xr/ldshim/????????????????) pass home-xdg-runtime-dir ;;
*) fail home-xdg-runtime-dir "expected a cache in /run/xr/ldshim, got: $out" ;; esac
case $out in *"linked B-bundled"*"dlopen B-bundled"*) pass home-bundle-still-wins ;;
*) fail home-bundle-still-wins "expected the bundled copy, got: $out" ;; esac

out=$(hrun "mkdir -p -m 700 /run/user/0" NIX_LD_LOG=info "$H/app/bundled")
case $(home_of "$out") in /run/user/0/ldshim/????????????????) pass home-run-user-without-xdg ;;
*) fail home-run-user-without-xdg "expected a cache in /run/user/0/ldshim, got: $out" ;; esac

out=$(hrun "" NIX_LD_LOG=info "$H/app/bundled")
case $(home_of "$out") in /run/ldshim/????????????????) pass home-run-for-root ;;
*) fail home-run-for-root "expected a cache in /run/ldshim, got: $out" ;; esac

# /run/user/0 that is not root's own 0700 directory is passed over.
out=$(hrun "mkdir -p -m 755 /run/user/0" NIX_LD_LOG=info "$H/app/bundled")
case $out in *"/run/user/0"*"not the user's own, mode 0700"*"/run/ldshim/"*) pass home-run-user-wrong-mode ;;
*) fail home-run-user-wrong-mode "expected /run/user/0 (0755) passed over, got: $out" ;; esac

if [ $NOBODY = 1 ]; then
	out=$(hrun "" NIX_LD_LOG=info "$T/asuser" 65534 65534 "$H/app/bundled")
	case $(home_of "$out") in /tmp/ldshim-65534/????????????????) pass home-tmp-for-a-user ;;
	*) fail home-tmp-for-a-user "expected a cache in /tmp/ldshim-65534, got: $out" ;; esac
	# Another user's directory, or the user's own with a wrong mode or a
	# link in its place: refused, never changed; the next home serves.
	for c in "mkdir -m 700 /tmp/ldshim-65534|another user's" \
	         "mkdir -m 755 /tmp/ldshim-65534; chown 65534 /tmp/ldshim-65534|the user's own, mode 0755" \
	         "mkdir -m 700 /tmp/x; chown 65534 /tmp/x; ln -s x /tmp/ldshim-65534|a link"; do
		setup=${c%%|*} what=${c#*|}
		out=$(hrun "$setup" NIX_LD_LOG=info "$T/asuser" 65534 65534 "$H/app/bundled")
		case $(home_of "$out") in /dev/shm/ldshim-65534/????????????????)
			pass "home-refused: $what" ;;
		*) fail "home-refused: $what" "expected /tmp/ldshim-65534 refused and /dev/shm used, got: $out" ;; esac
	done
	# Refused means left alone: owner, mode and kind as they were.
	check_eq home-refused-unchanged "root 755 directory" "$(hrun 'mkdir -m 755 /tmp/ldshim-65534; "$@" >/dev/null 2>&1; stat -c "%U %a %F" /tmp/ldshim-65534; ls -A /tmp/ldshim-65534; exit' \
		"$T/asuser" 65534 65534 "$H/app/bundled")"
else
	skip home-tmp-for-a-user "uid 65534 cannot reach $H (a private checkout)"
fi

# A read-only root, a writable /tmp (a hardened service, a container):
# still a cache, and a library constructor sees exactly the user's
# environment (the second run: / itself read-only too).
ro='mount -o remount,ro /run; mount -o remount,ro /dev/shm'
out=$(hrun "$ro" NIX_LD_LOG=info "$H/app/bundled")
case $(home_of "$out") in /tmp/ldshim-0/????????????????) pass home-tmp-when-run-is-read-only ;;
*) fail home-tmp-when-run-is-read-only "expected a cache in /tmp/ldshim-0, got: $out" ;; esac
out=$(hrun "mount -o bind,remount,ro /; $ro" FOO=bar "$H/app/envprog")
check_eq home-tmp-constructor-sees-user-env "ctor env NIX_LD=$LDSO
ctor env NIX_LD_LIBRARY_PATH=$NIXP
ctor env FOO=bar
ctor LD_AUDIT unset
ctor LD_LIBRARY_PATH unset
main env NIX_LD=$LDSO
main env NIX_LD_LIBRARY_PATH=$NIXP
main env FOO=bar" "$out"

# A full /tmp: the write fails, nothing is left behind, /dev/shm serves.
full='mount -o remount,ro /run; mount -o remount,size=8k /tmp; head -c 8192 /dev/zero > /tmp/fill 2>/dev/null'
out=$(hrun "$full"'; trap "ls -A /tmp/ldshim-0" EXIT; "$@"; exit' NIX_LD_LOG=info "$H/app/bundled")
case $out in *"/tmp/ldshim-0/"*"not written: No space left on device"*"served by the library cache /dev/shm/ldshim-0/"*"linked B-bundled"*)
	pass home-full-disk-next-home ;;
*) fail home-full-disk-next-home "expected ENOSPC in /tmp and /dev/shm used, got: $out" ;; esac
case $(tail -1 <<<"$out") in *.tmp*) fail home-full-disk-no-partial-file "left behind: $(tail -1 <<<"$out")" ;;
*) pass home-full-disk-no-partial-file ;; esac

# No home at all: the last resort starts it, the bundled copy still wins,
# and the program (not its library constructors) sees the user's
# environment.
none='for d in /run /tmp /dev/shm; do mount -o remount,ro "$d"; done'
out=$(hrun "$none" NIX_LD_LOG=info "$H/app/bundled")
case $out in *"last resort (no library cache): library path for ld.so: \$ORIGIN/lib:$NIXP"*"linked B-bundled"*"dlopen B-bundled"*"bar B-bundled"*)
	pass home-none-last-resort ;;
*) fail home-none-last-resort "expected the last resort with the RUNPATH first, got: $out" ;; esac
out=$(hrun "$none" FOO=bar "$H/app/envprog" | grep '^main')
check_eq home-none-program-sees-user-env "main env NIX_LD=$LDSO
main env NIX_LD_LIBRARY_PATH=$NIXP
main env FOO=bar" "$out"

# XDG_RUNTIME_DIR too long for ld.so's 70 bytes: the next home.
long=/run/$(printf 'x%.0s' $(seq 60))
out=$(hrun "mkdir -m 700 $long" "XDG_RUNTIME_DIR=$long" NIX_LD_LOG=info "$H/app/bundled")
case $out in *"not in $long/ldshim: the name would be"*"ld.so has room for 70"*"/run/ldshim/"*) pass home-name-too-long-next ;;
*) fail home-name-too-long-next "expected $long passed over for /run/ldshim, got: $out" ;; esac

# Twelve first starts at once in /tmp leave one cache file.
# (each start reads its own copy of the environment file, $5)
out=$(hrun "$ro"'; for i in $(seq 12); do cp "$5" /tmp/env.$i; "${@:1:4}" /tmp/env.$i "${@:6}" > /tmp/out.$i 2>&1 & done; wait; ls -A /tmp/ldshim-0; cat /tmp/out.* | sort | uniq -c | sort -rn | head -3; exit' \
	"$H/app/bundled")
n=$(grep -c '^[0-9a-f]\{16\}$' <<<"$out"); other=$(grep -vc '^[0-9a-f]\{16\}$\|B-bundled\|LD_AUDIT' <<<"$out")
check_eq home-parallel-first-starts-one-file "1 0" "$n $other"
