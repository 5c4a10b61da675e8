# The NixOS module (nix/module.nix) and the dev-shell functions
# (nix/lib.nix) evaluated with nixpkgs' real module system
# (../shared/nixpkgs-lib) and stand-ins for NixOS's options and for pkgs
# (stand-in.nix; the configurations are in cases.nix): the /etc/ldshim.conf
# text, the variables, environment.ldso, the library directory's
# derivation and its cache command, per-program caches, the one-line
# switch from nix-ld, the nix-ld assertion, and every cache path within
# the 70 bytes the real ld.so has. t-build.sh runs the build scripts.
. "$(dirname "$0")/../lib.sh"
CASE=nix-module
. "$(dirname "$0")/common.sh"
pass nix-module-eval
ENV_FULL=$(j .full.libraryEnv.path)
PCACHE=$(j '.full.programCaches["/opt/vendor/bin/tool"].path')

# --- /etc/ldshim.conf, the variables, the interpreter ---
check_eq nix-module-conf "# Written by the NixOS module programs.ldshim.
ld.so = $LIBDIR_RUN/ld.so
library-path = $LIBDIR_RUN
library-cache = $LIBDIR_RUN/ld.so.cache
allow-user-config = no

[program /opt/old/bin/tool]
ld.so = $(P glibc240)/lib/ld-linux-x86-64.so.2

[program /opt/vendor/bin/tool]
library-path = $CUDA/lib:$SSL/lib
library-cache = $PCACHE" "$(j .full.conf)"
check_eq nix-module-conf-mode 0444 "$(j .full.confMode)"
check_eq nix-module-vars "NIX_LD=$LIBDIR_RUN/ld.so
NIX_LD_LIBRARY_PATH=$LIBDIR_RUN" "$(j '.full.vars | to_entries[] | "\(.key)=\(.value)"')"
check_eq nix-module-ldso "$LDSHIM/libexec/nix-ld" "$(j .full.ldso)"
check_eq nix-module-packages "$LDSHIM $ENV_FULL /share/nix-ld" \
	"$(j '.full.systemPackages + .full.pathsToLink | join(" ")')"

# --- the library directory and its cache, one derivation ---
check_eq nix-module-library-dir "ldshim-libraries [$ZLIB $SSL] /lib /share/nix-ld true" \
	"$(j '.full.libraryEnv | "\(.name) [\(.paths | join(" "))] \(.pathsToLink | join(" ")) \(.extraPrefix) \(.ignoreCollisions)"')"
PB=$(j .full.libraryEnv.postBuild)
want_lines() {	# CASE TEXT LINE...: every LINE is a line of TEXT
	local c=$1 text=$2 l; shift 2
	for l in "$@"; do
		grep -qxF -- "$l" <<<"$text" || { fail "$c" "expected the line: $l; got:"; sed 's/^/    /' <<<"$text"; return; }
	done
	pass "$c"
}
want_lines nix-module-cache-command "$PB" \
	"ln -sf \"$(P dynamicLinker)\" \"\$d/ld.so\"" \
	"if \"$LDSHIM/bin/ldshim-cache\" --arch x86_64 -o \"\$TMPDIR/ld.so.cache\" --map \"\$d=$LIBDIR_RUN\" \"\$d\" 2>\"\$TMPDIR/ldshim-cache.err\"; then" \
	"  mv \"\$TMPDIR/ld.so.cache\" \"\$d/ld.so.cache\""
check_eq nix-module-cache-dir 'd="$out/share/nix-ld/lib"' "$(head -1 <<<"$PB")"

# A [program] section's cache: its directories, then the global one,
# read in the library derivation and recorded as NIX_LD_LIBRARY_PATH says.
check_eq nix-module-program-cache "ldshim-cache $CUDA/lib:$SSL/lib:$LIBDIR_RUN" \
	"$(j '.full.programCaches["/opt/vendor/bin/tool"] | "\(.name) \(.libraryPath)"')"
check_eq nix-module-program-cache-dirs "add_dir $CUDA/lib $CUDA/lib
add_dir $SSL/lib $SSL/lib
add_dir $ENV_FULL/share/nix-ld/lib $LIBDIR_RUN" \
	"$(j '.full.programCaches["/opt/vendor/bin/tool"].script' | grep '^add_dir ')"
check_eq nix-module-program-cache-only-with-libraries "/opt/vendor/bin/tool" \
	"$(j '.full.programCaches | keys | join(" ")')"

# --- switching from nix-ld, and what may not be ---
check_eq nix-module-switch-one-line "[$ZLIB $(P vendorLibs)] $(P defaultPackage)/libexec/nix-ld []" \
	"$(j '.switch | "[\(.libraryEnv.paths | join(" "))] \(.ldso) \(.failed)"')"
check_eq nix-module-switch-conf "library-cache = $LIBDIR_RUN/ld.so.cache" \
	"$(j .switch.conf | grep '^library-cache')"
check_eq nix-module-nix-ld-defaults "$ZLIB $(P zstd) $(P gcclib) $(P curl) $SSL" \
	"$(j '.nixLdDefaults.libraryEnv.paths | join(" ")')"
check_eq nix-module-both-loaders \
	"programs.ldshim and programs.nix-ld both install a loader at the interpreter path: enable only one." \
	"$(j '.both.failed[]')"
check_eq nix-module-disabled "null null {} []" \
	"$(j '.disabled | "\(.conf) \(.ldso) \(.vars) \(.systemPackages)"')"

# --- libraryCache.enable = false, strict = true ---
check_eq nix-module-no-cache-conf "" "$(j .noCache.conf | grep library-cache)"
check_eq nix-module-no-cache-build "0 {}" \
	"$(j .noCache.libraryEnv.postBuild | grep -c ldshim-cache) $(j -c .noCache.programCaches)"
check_eq nix-module-no-cache-path "library-path = $CUDA/lib:$SSL/lib" \
	"$(j .noCache.conf | grep "^library-path = $CUDA")"
check_eq nix-module-refusal-warns "1 1" \
	"$(j .full.libraryEnv.postBuild | grep -c '^elif \[ \$? = 1 \]; then') $(j '.full.programCaches[].script' | grep -c '^elif ')"
check_eq nix-module-strict "0 0" \
	"$(j .strict.libraryEnv.postBuild | grep -c '^elif ') $(j '.strict.programCaches[].script' | grep -c '^elif ')"

# --- nix/lib.nix: mkLibraryCache, mkShellEnv ---
LP="$ZLIB/lib:$SSL/lib:$CUDA/lib64"
check_eq nix-lib-cache "ldshim-cache $LP" "$(j '.lib.cache | "\(.name) \(.libraryPath)"')"
check_eq nix-lib-cache-dirs "add_dir $ZLIB/lib $ZLIB/lib
add_dir $SSL/lib $SSL/lib
add_dir $CUDA/lib64 $CUDA/lib64" "$(j .lib.cache.script | grep '^add_dir ')"
check_eq nix-lib-cache-command \
	"if \"$LDSHIM/bin/ldshim-cache\" --arch x86_64 -o \"\$TMPDIR/ld.so.cache\" \"\${maps[@]}\" \"\${dirs[@]}\" 2>\"\$TMPDIR/ldshim-cache.err\"; then" \
	"$(j .lib.cache.script | grep '^if ')"
check_eq nix-lib-cache-strict "0 1" \
	"$(j .lib.cache.script | grep -c '^elif ') $(j .lib.nonStrict | grep -c '^elif ')"
check_eq nix-lib-shell-env "NIX_LD_LIBRARY_CACHE=$(j .lib.cache.path)
NIX_LD_LIBRARY_PATH=$LP" "$(j '.lib.shellEnv | to_entries[] | "\(.key)=\(.value)"')"

# --- every cache path fits in the real ld.so's string ---
check_eq nix-cache-path-room 70 "$(j .cachePathRoom)"
lens=
for p in "$LIBDIR_RUN/ld.so.cache" "$PCACHE" "$(j .lib.cache.path)" "$(j .lib.longest)"; do
	lens+="${#p} "
done
check_eq nix-cache-path-lengths "51 56 56 70 " "$lens"
if nix 'toString (L.mkLibraryCache { inherit pkgs; ldshim = s.pkg "l"; libraries = [ pkgs.zlib ];
	name = "ldshim-cache-0123456789abcd"; })' >/dev/null; then
	fail nix-cache-path-too-long "a 71-byte cache path evaluated"
else
	check_eq nix-cache-path-too-long 1 "$(grep -c 'library cache path /nix/store/.*-ldshim-cache-0123456789abcd is 71 bytes; the real ld.so holds its cache path in 70' "$W/err")"
fi
if nix 'toString (L.mkLibraryCache { inherit pkgs; ldshim = s.pkg "l"; dirs = [ "/opt/cuda/lib64" ]; })' >/dev/null; then
	fail nix-lib-not-in-store "a directory outside the store evaluated"
else
	check_eq nix-lib-not-in-store 1 "$(grep -c 'mkLibraryCache: /opt/cuda/lib64 is not in the Nix store: a build cannot read it' "$W/err")"
fi
if nix 'toString (L.mkLibraryCache { inherit pkgs; ldshim = s.pkg "l"; })' >/dev/null; then
	fail nix-lib-empty "a cache of nothing evaluated"
else
	check_eq nix-lib-empty 1 "$(grep -c 'mkLibraryCache: no libraries and no dirs' "$W/err")"
fi
