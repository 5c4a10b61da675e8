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
check_eq install-files "./bin/ldshim-check
./lib/tmpfiles.d/ldshim.conf
./libexec/ldshim
./libexec/ldshim-audit.so
./libexec/nix-ld
./nix-support/ldpath
./share/ldshim/ldshim-gdb.py
./share/ldshim/valgrind.supp
./share/man/man8/ldshim.8" "$got"
if cmp -s "$R/libexec/ldshim" "$LDSHIM"; then pass install-binary
else fail install-binary "libexec/ldshim differs from $LDSHIM"; fi
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
