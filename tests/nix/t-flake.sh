# The flake (flake.nix) as Debian's Nix evaluates it offline, with its
# nixpkgs input replaced (--override-input) by nixpkgs' lib alone
# (../shared/nixpkgs-lib, given a flake.nix here): the module and lib
# outputs give exactly what the classic imports give (the cases of
# cases.nix, which t-module.sh asserts), the overlay adds ldshim, the
# package and check names evaluate, nix/checks.nix passes a correct
# module and stops at wrong ones, and `nix flake check --no-build` passes
# with nixpkgs stood in further (nixpkgs-flake.nix). What needs nixpkgs'
# packages or NixOS (building the package, the checks' real NixOS
# evaluation) is skipped, saying so.
. "$(dirname "$0")/../lib.sh"
CASE=nix-flake
. "$(dirname "$0")/common.sh"

# Nix leaves the private store's paths read-only: writable again before
# they are removed (root would not need it).
trap 'chmod -R u+w "$W"; rm -rf "$W"' EXIT
# nixpkgs as a flake with only its lib, as nixpkgs' own flake gives it.
printf '%s\n' '{ outputs = { self }: { lib = import ./lib; }; }' > "$W/nixpkgs-lib/flake.nix"
# The checkout as `nix run .` in it sees it: in a git checkout, a git
# flake (tracked files only); else flake.nix and nix/ alone.
if [ "$(git -C "$ROOT" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$ROOT" && pwd -P)" ]; then
	FLAKE=git+file://$ROOT
else
	mkdir "$W/src" && cp -r "$ROOT/flake.nix" "$ROOT/nix" "$W/src/"
	FLAKE=path:$W/src
fi

# nix_flake COMMAND ARGS...: the nix command with flakes, no registry, no
# network, a private store in $W; stderr in $W/err.
nix_flake() {
	command nix --extra-experimental-features 'nix-command flakes' --option flake-registry '' \
		--offline --store "$W/store" "$@" 2>"$W/err"
}
# In a chroot, Nix's private store runs its git in a mount namespace of
# the machine's own root, where this checkout's path does not exist
# ("cannot change to ..."; measured in a chroot of a fresh Debian 12).
if ! nix_flake flake metadata --no-write-lock-file "$FLAKE" >/dev/null &&
   grep -q "cannot change to" "$W/err"; then
	skip "$CASE" "Nix's private store cannot see the checkout (a chroot?): $(grep -m1 'cannot change to' "$W/err")"
	exit 0
fi
# flake ATTR FUNCTION: the flake's output ATTR passed to the Nix FUNCTION,
# as JSON, with lib (nixpkgs' lib) and s (stand-in.nix) in scope. No lock
# file written. --impure: FUNCTION reads these tests' files.
flake() {
	nix_flake eval --json --impure --no-write-lock-file \
		--override-input nixpkgs "path:$W/nixpkgs-lib" "$FLAKE#$1" --apply "
		let lib = import $LIBDIR; s = import $HERE/stand-in.nix { inherit lib; root = $ROOT; };
		in $2"
}
# The error of the last evaluation, without Nix's warnings (the lock file
# not written, a dirty git tree).
flake_error() { grep -v '^warning: \|^•\|^    .path:' "$W/err" | head -c 600; }
# cases ARGS: cases.nix with the flake's outputs given by ARGS (Nix).
cases() { echo "import $HERE/cases.nix { libPath = $LIBDIR; root = $ROOT; $1 }"; }
# sorted FILE: a JSON file with its keys sorted, one value a line.
sorted() { jq -S . "$1"; }
# evaluated CASE ATTR FUNCTION OUT: evaluate into OUT, or fail CASE and
# return 1.
evaluated() {
	flake "$2" "$3" > "$4" && return 0
	fail "$1" "the flake's $2 did not evaluate: $(flake_error)"
	return 1
}

# --- nixosModules.default: today's module, the same configurations ---
if evaluated nix-flake-module-path nixosModules.default 'm: map toString m.imports' "$W/path.json"; then
	case $(jq -r 'join(" ")' "$W/path.json") in
	*-source/nix/module.nix) pass nix-flake-module-path ;;
	*) fail nix-flake-module-path "expected the flake's copy of nix/module.nix, got $(cat "$W/path.json")" ;;
	esac
fi
if evaluated nix-flake-module nixosModules.default "m: $(cases 'module = m;')" "$W/module.json"; then
	check_eq nix-flake-module "$(sorted "$W/cases.json")" "$(sorted "$W/module.json")"
fi

# --- lib: mkLibraryCache and mkShellEnv, the same derivations ---
if evaluated nix-flake-lib lib "l: { names = builtins.attrNames l;
	functions = lib.all builtins.isFunction (builtins.attrValues l);
	cases = ($(cases 'flakeLib = l;')).lib; }" "$W/lib.json"; then
	check_eq nix-flake-lib-names '["mkLibraryCache","mkShellEnv"] true' "$(jq -c .names "$W/lib.json") $(jq .functions "$W/lib.json")"
	check_eq nix-flake-lib "$(jq -S .lib "$W/cases.json")" "$(jq -S .cases "$W/lib.json")"
fi

# --- overlays.default: ldshim from nix/package.nix, by final's callPackage ---
if evaluated nix-flake-overlay overlays.default 'o: let
		final = { callPackage = path: args: { path = toString path; inherit args; }; };
		added = o final { }; in
	{ names = builtins.attrNames added; inherit (added.ldshim) path args; }' "$W/overlay.json"; then
	got=$(jq -r '"\(.names) \(.path | sub(".*-source/"; "<flake>/")) \(.args)"' "$W/overlay.json")
	check_eq nix-flake-overlay '["ldshim"] <flake>/nix/package.nix {}' "$got"
fi

# --- packages and checks: their names for every system ---
SYSTEMS='["aarch64-linux","i686-linux","riscv64-linux","x86_64-linux"]'
if evaluated nix-flake-package-names packages 'builtins.mapAttrs (_: builtins.attrNames)' "$W/p.json"; then
	check_eq nix-flake-package-names "$SYSTEMS [\"default\",\"ldshim\"]" \
		"$(jq -c 'keys' "$W/p.json") $(jq -c '[.[]] | unique | .[]' "$W/p.json")"
fi
if evaluated nix-flake-check-names checks 'builtins.mapAttrs (_: builtins.attrNames)' "$W/c.json"; then
	check_eq nix-flake-check-names "$SYSTEMS [\"library-cache\",\"module\",\"package\"]" \
		"$(jq -c 'keys' "$W/c.json") $(jq -c '[.[]] | unique | .[]' "$W/c.json")"
fi
# unevaluated CASE ATTR WHAT: ATTR needs what nixpkgs' lib does not have
# (WHAT): skip when it fails for that reason alone.
unevaluated() {
	if flake "$2" 'd: d.drvPath' >/dev/null; then pass "$1"
	elif grep -q "attribute '$3' missing" "$W/err"; then
		skip "$1" "needs nixpkgs' $3, which ../shared/nixpkgs-lib (its lib alone) has not"
	else fail "$1" "$(flake_error)"; fi
}
unevaluated nix-flake-package packages.x86_64-linux.default legacyPackages
unevaluated nix-flake-check-module checks.x86_64-linux.module legacyPackages

# --- nix/checks.nix, with the stand-ins' NixOS configuration ---
# checkWith MODULE: the flake's checks.nix for MODULE (m is the flake's).
checkWith() { echo "(import (dirOf (builtins.head m.imports) + \"/checks.nix\") { inherit (s) pkgs nixos; module = $1; }).module"; }
# The stand-in runCommand's name, environment and script (a derivation
# would be shown as its path).
if evaluated nix-flake-check-passes nixosModules.default "m: let d = $(checkWith m);
	in { inherit (d) name script; inherit (d.env) conf; }" "$W/check.json"; then
	rm -rf "$W/check-out"
	if conf=$(jq -r .conf "$W/check.json") out=$W/check-out bash -eu -c "$(jq -r .script "$W/check.json")" &&
		[ -f "$W/check-out" ] && [ "$(cat "$W/check-out")" = "$(jq -r .conf "$W/check.json")" ]; then
		check_eq nix-flake-check-passes "ldshim-module-check
[program /opt/vendor/bin/tool]
library-path = $SSL/lib" "$(jq -r .name "$W/check.json")
$(grep -A1 '^\[program' "$W/check-out")"
	else
		fail nix-flake-check-passes "the check's script did not write the rendered file"
	fi
fi
# stops CASE SETTINGS MESSAGE: the module with SETTINGS (Nix) added stops
# the check with MESSAGE.
stops() {
	if flake nixosModules.default "m: $(checkWith "{ imports = [ m ]; $2 }")" >/dev/null; then
		fail "$1" "the check passed a module with: $2"
	else
		check_eq "$1" 1 "$(grep -cF "ldshim's NixOS module: $3" "$W/err")"
	fi
}
stops nix-flake-check-stops-variable \
	'environment.sessionVariables.NIX_LD_LIBRARY_PATH = lib.mkForce "/elsewhere";' \
	"NIX_LD_LIBRARY_PATH: expected \"$LIBDIR_RUN\", got \"/elsewhere\""
stops nix-flake-check-stops-no-cache 'programs.ldshim.libraryCache.enable = false;' \
	"a line of /etc/ldshim.conf: library-cache = $LIBDIR_RUN/ld.so.cache: expected true, got false"
stops nix-flake-check-stops-no-assertion 'assertions = lib.mkForce [ ];' \
	"the ldshim assertion, with programs.nix-ld.enable: expected true, got false"

# --- nix flake check --no-build: what Nix itself asks of the outputs ---
# nixpkgs stood in further (nixpkgs-flake.nix): packages and checks are
# derivations, nixosSystem the stand-ins' NixOS. Every system's checks
# evaluate, the module check included.
mkdir "$W/nixpkgs-full"
cp -r "$LIBDIR" "$HERE/stand-in.nix" "$W/nixpkgs-full/"
cp "$HERE/nixpkgs-flake.nix" "$W/nixpkgs-full/flake.nix"
if nix_flake flake check --no-build --no-write-lock-file \
	--override-input nixpkgs "path:$W/nixpkgs-full" "$FLAKE"; then
	pass nix-flake-check-no-build
else
	fail nix-flake-check-no-build "nix flake check --no-build failed: $(flake_error)"
fi
