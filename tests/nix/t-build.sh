# The build scripts the module and nix/lib.nix generate (cases.nix), run
# as their builders would run them, in a private /nix/store (root) with
# the stand-in packages made real and ldshim-cache: the library
# directory's postBuild (also over an older buildEnv's linked directory),
# a [program] section's cache, mkLibraryCache with a package without the
# directory named, a store path that is no input, and lists the tool
# refuses (strict: the build fails; else a warning, and no cache).
. "$(dirname "$0")/../lib.sh"
CASE=nix-build
. "$(dirname "$0")/common.sh"
need_store
in_store_ns <<'INNER'
store_packages
# The global library directory, as buildEnv leaves it, then postBuild.
if build "$ENV" "$(j .full.libraryEnv.postBuild)"; then pass nix-build-library-dir
else fail nix-build-library-dir "postBuild failed: $(head -3 "$W/build.err")"; fi
check_eq nix-build-library-cache "ld.so => $LIBDIR_RUN/ld.so
libntssl.so.1 => $LIBDIR_RUN/libntssl.so.1
libntz.so => $LIBDIR_RUN/libntz.so
libntz.so.1 => $LIBDIR_RUN/libntz.so.1
dir $LIBDIR_RUN fixed" "$(entries "$D/ld.so.cache")"
check_eq nix-build-library-ldso "$(P dynamicLinker)" "$(readlink "$D/ld.so")"

# An older buildEnv's directory linked whole: made a directory of links.
OLD=$W/old-env
mkdir -p "$OLD/share/nix-ld"
ln -s "$ZLIB/lib" "$OLD/share/nix-ld/lib"
if build "$OLD" "$(j .full.libraryEnv.postBuild)" && [ ! -L "$OLD/share/nix-ld/lib" ]; then
	check_eq nix-build-library-dir-linked-whole "ld.so ld.so.cache libntz.so libntz.so.1 pkgconfig
$ZLIB/lib/libntz.so.1" "$(ls "$OLD/share/nix-ld/lib" | xargs)
$(readlink "$OLD/share/nix-ld/lib/libntz.so.1")"
else
	fail nix-build-library-dir-linked-whole "postBuild failed or left a link: $(head -3 "$W/build.err")"
fi

# The vendor tool's cache: its directories, then the global directory.
PC=$(j '.full.programCaches["/opt/vendor/bin/tool"].path')
PLP=$(j '.full.programCaches["/opt/vendor/bin/tool"].libraryPath')
if build "$PC" "$(j '.full.programCaches["/opt/vendor/bin/tool"].script')" && [ -f "$PC" ]; then
	check_eq nix-build-program-cache "$PC: current" "$("$TOOL" --check "$PC" ${PLP//:/ } 2>&1)"
	check_eq nix-build-program-cache-entries "ld.so => $LIBDIR_RUN/ld.so
libntcuda.so.1 => $CUDA/lib/libntcuda.so.1
libntssl.so.1 => $SSL/lib/libntssl.so.1
libntz.so => $LIBDIR_RUN/libntz.so
libntz.so.1 => $LIBDIR_RUN/libntz.so.1
dir $CUDA/lib fixed
dir $SSL/lib fixed
dir $LIBDIR_RUN fixed" "$(entries "$PC")"
else
	fail nix-build-program-cache "the script failed or wrote no file: $(head -3 "$W/build.err")"
fi

# mkLibraryCache: cuda has no lib64: recorded as an empty store directory.
LC=$(j .lib.cache.path)
LLP=$(j .lib.cache.libraryPath)
if build "$LC" "$(j .lib.cache.script)" && [ -f "$LC" ]; then
	check_eq nix-build-lib-cache "$LC: current" "$("$TOOL" --check "$LC" ${LLP//:/ } 2>&1)"
	check_eq nix-build-lib-cache-missing-dir "dir $CUDA/lib64 fixed" "$(entries "$LC" | grep lib64)"
	check_eq nix-build-lib-cache-entries "libntssl.so.1 => $SSL/lib/libntssl.so.1
libntz.so => $ZLIB/lib/libntz.so
libntz.so.1 => $ZLIB/lib/libntz.so.1" "$(entries "$LC" | grep '=>')"
else
	fail nix-build-lib-cache "the script failed or wrote no file: $(head -3 "$W/build.err")"
fi

# A store path that is not an input (not in the store) stops the build.
S=$(j .lib.cache.script | sed "s|add_dir $CUDA/lib64 $CUDA/lib64|add_dir /nix/store/00000000000000000000000000000000-gone/lib /nix/store/00000000000000000000000000000000-gone/lib|")
rm -rf "$LC"
if build "$LC" "$S"; then fail nix-build-not-an-input "the build succeeded"
else check_eq nix-build-not-an-input "ldshim: /nix/store/00000000000000000000000000000000-gone/lib: its store path is not an input of this build (a store path written as a plain string?)" "$(cat "$W/build.err")"; fi

# Refused lists (a glibc-hwcaps directory): strict fails with the tool's
# message; otherwise a warning, and no cache (module) or a text file.
mkdir -p "$SSL/lib/glibc-hwcaps/x86-64-v3"
# hw DIR: ldshim-cache's refusal of DIR/glibc-hwcaps.
hw() {
	echo "ldshim-cache: $1/glibc-hwcaps: glibc-hwcaps/legacy hwcaps subdirectories are not supported: a cache would not choose between them as ld.so's search does"
	echo "ldshim-cache: $W/tmp/ld.so.cache: not written"
}
HW=$(hw "$SSL/lib")
rm -rf "$LC"
if build "$LC" "$(j .lib.cache.script)"; then fail nix-build-refused-strict "the build succeeded"
else check_eq nix-build-refused-strict "$HW" "$(cat "$W/build.err")"; fi
rm -rf "$LC"
if build "$LC" "$(j .lib.nonStrict)" && [ -f "$LC" ]; then
	check_eq nix-build-refused-file "Not a library cache: ldshim-cache refused the directory list:
$HW" "$(cat "$LC")"
	check_eq nix-build-refused-warning 1 "$(grep -c '^warning: ldshim: no library cache' "$W/build.err")"
else
	fail nix-build-refused-file "the build failed or wrote no file: $(head -3 "$W/build.err")"
fi
rm -f "$D/ld.so.cache"; ln -s "$SSL/lib/glibc-hwcaps" "$D/"
if build "$ENV" "$(j .full.libraryEnv.postBuild)" && [ ! -e "$D/ld.so.cache" ]; then
	check_eq nix-build-library-dir-refused "$(hw "$LIBDIR_RUN")
warning: ldshim: no library cache: ldshim-cache refused the directory list (above); programs get the uncached search order" "$(cat "$W/build.err")"
else
	fail nix-build-library-dir-refused "postBuild failed or wrote a cache: $(head -3 "$W/build.err")"
fi
if build "$ENV" "$(j .strict.libraryEnv.postBuild)"; then
	fail nix-build-library-dir-refused-strict "postBuild succeeded"
else pass nix-build-library-dir-refused-strict; fi
INNER
