# make install into a DESTDIR: the layout of nixpkgs' nix-ld package
# (libexec/nix-ld, nix-support/ldpath, a tmpfiles.d line) and the man page.
. "$(dirname "$0")/../lib.sh"
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
P=/opt/ldshim-test
if ! out=$(make -s -C "$ROOT" install PREFIX=$P DESTDIR="$D" 2>&1); then
	fail install "make install failed: $out"; exit 0
fi
R=$D$P
got=$(cd "$R" && find . \( -type f -o -type l \) | sort)
check_eq install-files "./bin/ldshim-cache
./bin/ldshim-check
./lib/tmpfiles.d/ldshim.conf
./libexec/ldshim
./libexec/nix-ld
./nix-support/ldpath
./share/ldshim/ldshim-gdb.py
./share/man/man8/ldshim.8" "$got"
# ldshim is one file: it names nothing of the build tree, so the build's
# binary is the one installed.
if ! grep -qa "$ROOT/build" "$R/libexec/ldshim"; then pass install-binary-self-contained
else fail install-binary-self-contained "libexec/ldshim names the build tree: $(strings "$R/libexec/ldshim" | grep "$ROOT/build")"; fi
check_eq nix-ld-link "ldshim" "$(readlink "$R/libexec/nix-ld")"
check_eq ldpath "$INTERP" "$(cat "$R/nix-support/ldpath")"
check_eq tmpfiles-line "L+ $INTERP - - - - $P/libexec/nix-ld" \
	"$(grep -v '^#' "$R/lib/tmpfiles.d/ldshim.conf")"
perms=$(stat -c %a "$R/libexec/ldshim" "$R/share/man/man8/ldshim.8")
check_eq install-modes "755
644" "$perms"

# Every architecture's interpreter path comes from its arch.h.
for a in "$ROOT"/arch/*/; do
	a=$(basename "$a")
	[ -e "$ROOT/arch/$a/arch.h" ] || continue
	want=$(sed -n 's/^#define ARCH_INTERP[ \t]*"\(.*\)".*/\1/p' "$ROOT/arch/$a/arch.h")
	got=$(make -s -C "$ROOT" -p -n ARCH="$a" install 2>/dev/null | sed -n 's/^ARCH_INTERP := //p' | head -1)
	check_eq "interp-$a" "$want" "$got"
done

# The man page renders without warnings.
if command -v groff >/dev/null; then
	out=$(groff -man -Tutf8 -ww -z "$R/share/man/man8/ldshim.8" 2>&1)
	check_eq man-groff-clean "" "$out"
else
	skip man-groff-clean "groff not installed (groff-base)"
fi
if command -v man >/dev/null; then
	out=$(MANWIDTH=80 man -l "$R/share/man/man8/ldshim.8" 2>&1 | head -1)
	case $out in LDSHIM\(8\)*) pass man-renders ;;
	*) fail man-renders "expected the LDSHIM(8) header, got: $out" ;; esac
else
	skip man-renders "man not installed (man-db)"
fi

# The installed ldshim works where it was installed: a program that needs
# the Nix path, started in the simulated NixOS by the installed ldshim
# (as a command), finds it (no cache home: the last resort).
if is_root; then
	I=$T/install-run
	rm -rf "$I"
	if make -s -C "$ROOT" install PREFIX="$I" >/dev/null 2>&1; then
		store_init
		cc_prog "$T/hello" tests/progs/hello.c
		got=$(env -i "${NIX_ENV[@]}" NIX_LD_LOG=info "$SIM" "${NO_CACHE_HOME[@]}" -- "$I/libexec/ldshim" "$T/hello" 2>&1 | grep -v '^ldshim: ld.so ')
		case $got in
		*"--library-path $STORE/lib"*"hello from a foreign program"*) pass installed-runs-fallback ;;
		*) fail installed-runs-fallback "expected the last resort's library path and the program's output, got: $got" ;; esac
	else fail installed-runs-fallback "make install PREFIX=$I failed"; fi
else skip installed-runs-fallback "needs root for the simulated NixOS"; fi
