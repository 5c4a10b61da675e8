# Shared by tests/nix/t-*.sh: source it after tests/lib.sh.
# Outside: skips (and exits) without nix-instantiate, jq or nixpkgs' lib;
# unpacks that lib into $W (removed at exit), keeps Nix's own state there,
# and evaluates cases.nix into $W/cases.json. Inside a private namespace
# (in_store_ns), with W set, it only gives the helpers.
HERE=$ROOT/tests/nix
LIBDIR_RUN=/run/current-system/sw/share/nix-ld/lib
j() { jq -r "$@" "$W/cases.json"; }	# j FILTER: read cases.json
P() { j ".paths.$1"; }			# P NAME: a stand-in package's store path

if [ -z "${NIX_TEST_INNER:-}" ]; then
	command -v nix-instantiate >/dev/null ||
		{ skip "$CASE" "nix-instantiate not installed (Debian package nix-bin)"; exit 0; }
	command -v jq >/dev/null || { skip "$CASE" "jq not installed"; exit 0; }
	TAR=
	for t in "$ROOT/../shared/nixpkgs-lib/nixpkgs-lib.tar.xz" /work/shared/nixpkgs-lib/nixpkgs-lib.tar.xz; do
		[ -e "$t" ] && { TAR=$t; break; }
	done
	[ -n "$TAR" ] || { skip "$CASE" "no nixpkgs-lib.tar.xz in ../shared/nixpkgs-lib"; exit 0; }
	W=$(mktemp -d /tmp/nix-test.XXXXXX)
	trap 'rm -rf "$W"' EXIT
	tar -xJf "$TAR" -C "$W" || { fail "$CASE" "cannot unpack $TAR"; exit 0; }
	LIBDIR=$W/nixpkgs-lib/lib
	# Nix's own state in the scratch directory: nothing outside it is written.
	export HOME=$W/home NIX_STATE_DIR=$W/state NIX_LOG_DIR=$W/log XDG_CACHE_HOME=$W/cache
	unset NIX_PATH
	if ! nix-instantiate --eval --strict --json "$HERE/cases.nix" --arg libPath "$LIBDIR" \
		--arg root "$ROOT" > "$W/cases.json" 2>"$W/err"; then
		fail "$CASE-eval" "cases.nix did not evaluate: $(head -c 600 "$W/err")"; exit 0
	fi
fi

# nix EXPR: evaluate EXPR to JSON with lib, s (stand-in.nix), pkgs (its
# stand-in) and L (nix/lib.nix) in scope; stderr in $W/err.
nix() {
	nix-instantiate --eval --strict --json -E "let lib = import $LIBDIR;
		s = import $HERE/stand-in.nix { inherit lib; root = $ROOT; };
		L = s.ldshimLib; pkgs = s.pkgs; in $1" 2>"$W/err"
}

# need_store: what the runs in a private /nix/store need (else skip and
# exit): root, unshare, /nix/store to mount on; a copy of ldshim-cache
# and three small libraries in $W.
need_store() {
	is_root || { skip "$CASE" "needs root (unshare -m, a tmpfs at /nix/store)"; exit 0; }
	command -v unshare >/dev/null || { skip "$CASE" "no unshare (util-linux)"; exit 0; }
	[ -d /nix/store ] || { skip "$CASE" "no /nix/store to mount a tmpfs on (nix-bin makes it)"; exit 0; }
	[ -x "$BUILD/ldshim-cache" ] || make -s -C "$ROOT" build/ldshim-cache >/dev/null ||
		{ fail "$CASE" "make build/ldshim-cache failed"; exit 0; }
	cp "$BUILD/ldshim-cache" "$W/ldshim-cache"	# build/ may be cleaned meanwhile
	printf 'int nix_test_fn(void) { return 1; }\n' > "$W/lib.c"
	local n
	for n in z ssl cuda; do
		gcc -shared -fPIC -o "$W/libnt$n.so.1" "$W/lib.c" -Wl,-soname,libnt$n.so.1 ||
			{ fail "$CASE" "gcc failed"; exit 0; }
	done
}
# in_store_ns < SCRIPT: run SCRIPT (bash) in a private mount namespace
# with these helpers, $W, and a tmpfs at /nix/store.
in_store_ns() {
	unshare -m --propagation private -- env W="$W" ROOT="$ROOT" CASE="$CASE" NIX_TEST_INNER=1 \
		bash -c '. "$ROOT/tests/lib.sh"; . "$ROOT/tests/nix/common.sh"
		mount -t tmpfs -o mode=0755 tmpfs /nix/store ||
			{ fail "$CASE" "cannot mount a tmpfs at /nix/store"; exit 0; }
		. /dev/stdin'
}

TOOL=$W/ldshim-cache
LDSHIM=$(P ldshim) CUDA=$(P cuda) ZLIB=$(P zlib) SSL=$(P openssllib)

# In the namespace: the stand-in packages made real (ldshim with its
# ldshim-cache, zlib, openssl's lib output, cuda with lib/ only, the
# glibc ld.so: this machine's), and the library derivation as buildEnv
# leaves it ($ENV, its directory $D), before its postBuild.
store_packages() {
	mkdir -p "$LDSHIM/bin" "$ZLIB/lib" "$SSL/lib" "$CUDA/lib" "$(dirname "$(P dynamicLinker)")"
	cp "$TOOL" "$LDSHIM/bin/"
	cp "$W/libntz.so.1" "$ZLIB/lib/"; cp "$W/libntssl.so.1" "$SSL/lib/"; cp "$W/libntcuda.so.1" "$CUDA/lib/"
	ln -s libntz.so.1 "$ZLIB/lib/libntz.so"
	mkdir "$ZLIB/lib/pkgconfig"
	cp -L "$INTERP" "$(P dynamicLinker)"
	ENV=$(j .full.libraryEnv.path)
	D=$ENV/share/nix-ld/lib
	mkdir -p "$D"
	local f
	for f in "$ZLIB"/lib/* "$SSL"/lib/*; do ln -s "$f" "$D/"; done
}
# build OUT SCRIPT: run a build script as the builder would (out, TMPDIR,
# stdenv's shell options); its stderr in $W/build.err.
build() {
	rm -rf "$W/tmp"; mkdir "$W/tmp"
	out=$1 TMPDIR=$W/tmp bash -eu -o pipefail -c "$2" 2>"$W/build.err"
}
# entries FILE: ldshim-cache --print's entries (sorted) and directories
# (in order), paths only.
entries() {
	"$TOOL" --print "$1" | sed -n 's/^\t\(.*\) (libc6,x86-64) => /\1 => /p' | LC_ALL=C sort
	"$TOOL" --print "$1" | sed -n 's/^\t\([^:]*\): .*: \(fixed\|current\|out of date\).*/dir \1 \2/p'
}
