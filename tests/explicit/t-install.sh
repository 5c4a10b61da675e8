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
./libexec/ldshim-audit.so
./libexec/nix-ld
./nix-support/ldpath
./share/ldshim/ldshim-gdb.py
./share/ldshim/valgrind.supp
./share/man/man8/ldshim.8" "$got"
# The installed ldshim looks for its audit module where it was installed,
# not in the build tree.
if grep -qa "$P/libexec/ldshim-audit.so" "$R/libexec/ldshim" && ! grep -qa "$ROOT/build" "$R/libexec/ldshim"
then pass install-binary-audit-path
else fail install-binary-audit-path "libexec/ldshim does not name $P/libexec/ldshim-audit.so (or names the build tree): $(strings "$R/libexec/ldshim" | grep audit)"; fi
if cmp -s "$R/libexec/ldshim-audit.so" "$BUILD/ldshim-audit.so"; then pass install-audit-module
else fail install-audit-module "libexec/ldshim-audit.so differs from $BUILD/ldshim-audit.so"; fi
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

# The installed pair works where it was installed: a program that needs
# the Nix path, started in the simulated NixOS by the installed ldshim
# (as a command, so the installed path is the one used), finds it through
# the installed audit module.
if is_root; then
	I=$T/install-run
	rm -rf "$I"
	if make -s -C "$ROOT" install PREFIX="$I" >/dev/null 2>&1; then
		store_init
		cc_prog "$T/hello" tests/progs/hello.c
		got=$(env -i "${NIX_ENV[@]}" NIX_LD_LOG=info "$SIM" -- "$I/libexec/ldshim" "$T/hello" 2>&1 | grep -v '^ldshim: ld.so ')
		case $got in
		*"--audit $I/libexec/ldshim-audit.so"*"hello from a foreign program"*) pass installed-runs-fallback ;;
		*) fail installed-runs-fallback "expected the installed module and the program's output, got: $got" ;; esac
	else fail installed-runs-fallback "make install PREFIX=$I failed"; fi
else skip installed-runs-fallback "needs root for the simulated NixOS"; fi
