# Nix functions for ldshim's library cache (nix/README.md):
#
#   ldshimLib = import ./ldshim/nix/lib.nix;
#   cache = ldshimLib.mkLibraryCache { inherit pkgs ldshim; libraries = [ pkgs.zlib ]; };
#     a derivation whose output is the cache file; cache.libraryPath is
#     the directory list it was built for
#   ldshimLib.mkShellEnv { inherit pkgs ldshim; libraries = [ ... ]; }
#     { NIX_LD_LIBRARY_PATH = ...; NIX_LD_LIBRARY_CACHE = ...; } for a mkShell
#
# The top level is plain builtins, so that package.nix, module.nix and the
# tests import it without nixpkgs; the functions take pkgs.
rec {
  # arch/<name> in the source tree, and ldshim-cache's --arch, per system.
  archOf = platform:
    if platform.isx86_64 then "x86_64"
    else if platform.isx86_32 then "i386"
    else if platform.isAarch64 then "aarch64"
    else if platform.isRiscV64 then "riscv64"
    else throw "ldshim: no port for ${platform.system}";

  # ldshim points the real ld.so's cache path, one string in its read-only
  # data, at the cache: the cache's path must fit in that string. A Nix
  # glibc's is <store>/<32-char hash>-glibc-2.NN/etc/ld.so.cache, 70 bytes
  # in /nix/store (a longer name, glibc-2.40-66, gives a few more).
  cachePathRoom = builtins.stringLength builtins.storeDir + 60;

  checkCachePath = path:
    let n = builtins.stringLength path; in
    if n <= cachePathRoom then path
    else throw ("ldshim: the library cache path ${path} is ${toString n} bytes; the real ld.so"
      + " holds its cache path in ${toString cachePathRoom} (<store>/<hash>-glibc-2.NN/etc/ld.so.cache),"
      + " so ldshim could not use it: choose a shorter name");

  # Shell lines that run ldshim-cache with ARGS (bash words) writing
  # $TMPDIR/ld.so.cache, then ON_CACHE. When the tool refuses the list
  # (exit 1: a glibc-hwcaps directory, a name clash, ...) the build fails
  # with its message if strict, else warns and runs ON_REFUSAL.
  runCacheTool = { ldshim, arch, args, strict, onCache, onRefusal }: ''
    if "${ldshim}/bin/ldshim-cache" --arch ${arch} -o "$TMPDIR/ld.so.cache" ${args} 2>"$TMPDIR/ldshim-cache.err"; then
      ${onCache}
  '' + (if strict then "" else ''
    elif [ $? = 1 ]; then
      cat "$TMPDIR/ldshim-cache.err" >&2
      echo "warning: ldshim: no library cache: ldshim-cache refused the directory list (above); programs get the uncached search order" >&2
      ${onRefusal}
  '') + ''
    else
      cat "$TMPDIR/ldshim-cache.err" >&2
      exit 1
    fi
  '';

  # The cache for a list of directories: a derivation whose output is the
  # cache file itself (so that its path stays short, see cachePathRoom).
  #   libraries  packages: their lib output's lib/, as lib.makeLibraryPath
  #   dirs       more directories, after those: a store path string, or
  #              { dir = <store path>; as = "/where/programs/see/it"; }
  #              (read at dir, recorded and looked up as `as`)
  #   strict     fail the build when ldshim-cache refuses the list; if
  #              false, warn, and the output is a text file saying why
  #              (ldshim reports it as not a cache and goes uncached)
  # passthru.libraryPath is the list the cache answers for, ':'-joined:
  # the value NIX_LD_LIBRARY_PATH must have for ldshim to use it.
  mkLibraryCache = { pkgs, ldshim, libraries ? [ ], dirs ? [ ], name ? "ldshim-cache", strict ? true }:
    let
      inherit (pkgs) lib;
      store = "${builtins.storeDir}/";
      entries = map (p: { dir = "${lib.getLib p}/lib"; as = "${lib.getLib p}/lib"; }) libraries
        ++ map (d: if builtins.isAttrs d then d else { dir = d; as = d; }) dirs;
      # The build can read only store paths (its inputs).
      checked = map (e:
        if lib.hasPrefix store e.dir then e
        else throw "ldshim: mkLibraryCache: ${e.dir} is not in the Nix store: a build cannot read it") entries;
      libraryPath = lib.concatMapStringsSep ":" (e: e.as) checked;
      cache = pkgs.runCommand name {
        preferLocalBuild = true;
        allowSubstitutes = false;
        passthru = { inherit libraryPath; dirs = map (e: e.as) checked; };
      } (''
        # A directory the list names that does not exist (a package
        # without lib/) is still recorded: as an empty directory inside
        # the store, which never changes. $out stands in for it while
        # the cache is built, and becomes the cache file after.
        mkdir "$out"
        dirs=() maps=() n=0
        add_dir() {  # DIR RECORDED-AS
          local d=$1
          if [ ! -d "$d" ]; then
            local top=''${d#${store}}
            if [ ! -e "${store}''${top%%/*}" ]; then
              echo "ldshim: $d: its store path is not an input of this build (a store path written as a plain string?)" >&2
              exit 1
            fi
            n=$((n + 1))
            d=$out/missing-$n
            mkdir "$d"
          fi
          dirs+=("$d")
          if [ "$d" != "$2" ]; then maps+=(--map "$d=$2"); fi
        }
      ''
      + lib.concatMapStrings (e: "add_dir ${lib.escapeShellArg e.dir} ${lib.escapeShellArg e.as}\n") checked
      + runCacheTool {
        inherit ldshim strict;
        arch = archOf pkgs.stdenv.hostPlatform;
        args = ''"''${maps[@]}" "''${dirs[@]}"'';
        onCache = ''rm -r "$out"; cp "$TMPDIR/ld.so.cache" "$out"'';
        onRefusal = ''rm -r "$out"; { echo "Not a library cache: ldshim-cache refused the directory list:"; cat "$TMPDIR/ldshim-cache.err"; } > "$out"'';
      });
    in
    if checked == [ ] then throw "ldshim: mkLibraryCache: no libraries and no dirs"
    else builtins.seq (checkCachePath "${cache}") cache;

  # The two variables a dev shell sets for its own library set:
  #   pkgs.mkShell ({ packages = [ ... ]; } // ldshimLib.mkShellEnv { inherit pkgs ldshim; libraries = [ ... ]; })
  mkShellEnv = args:
    let cache = mkLibraryCache args; in
    {
      NIX_LD_LIBRARY_PATH = cache.libraryPath;
      NIX_LD_LIBRARY_CACHE = "${cache}";
    };
}
