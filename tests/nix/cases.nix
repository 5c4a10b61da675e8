# What the module and nix/lib.nix produce for the configurations that
# tests/nix/t-module.sh asserts, as one JSON value.
#   nix-instantiate --eval --strict --json cases.nix --arg libPath DIR/lib --arg root ROOT
# The module and the lib functions may be given (the flake's outputs,
# tests/nix/t-flake.sh): the same cases then show what those produce.
{ libPath, root, module ? root + "/nix/module.nix", flakeLib ? { } }:
let
  lib = import libPath;
  s = import ./stand-in.nix { inherit lib root module; };
  inherit (s) pkgs eval pkg;
  ldshimLib = s.ldshimLib // flakeLib;
  glibc240 = pkg "glibc-2.40-66";

  # What a test reads of an evaluated configuration.
  show = c:
    let
      libraryEnv = c.programs.ldshim.libraryCache.derivations.libraries;
      etc = c.environment.etc."ldshim.conf" or null;
    in {
      conf = if etc == null then null else etc.text;
      confMode = if etc == null then null else etc.mode;
      vars = c.environment.sessionVariables;
      ldso = c.environment.ldso;
      pathsToLink = c.environment.pathsToLink;
      systemPackages = map toString c.environment.systemPackages;
      failed = map (a: a.message) (lib.filter (a: !a.assertion) c.assertions);
    } // lib.optionalAttrs c.programs.ldshim.enable {
      libraryEnv = {
        path = toString libraryEnv;
        inherit (libraryEnv.args) name pathsToLink extraPrefix ignoreCollisions postBuild;
        paths = map toString libraryEnv.args.paths;
      };
      programCaches = lib.mapAttrs (_: d: {
        path = toString d;
        inherit (d) name libraryPath script;
      }) c.programs.ldshim.libraryCache.derivations.programs;
    };

  # A vendor tool with its own libraries, an old one with a newer glibc.
  sections = {
    programs.ldshim.configFile.programs = {
      "/opt/vendor/bin/tool".libraries = [ pkgs.cuda pkgs.openssl ];
      "/opt/old/bin/tool".ldso = "${glibc240}/lib/ld-linux-x86-64.so.2";
    };
  };

  cache = ldshimLib.mkLibraryCache {
    inherit pkgs;
    ldshim = pkg "ldshim-0.1";
    libraries = [ pkgs.zlib pkgs.openssl ];
    dirs = [ "${pkgs.cuda}/lib64" ];
  };
in
{
  paths = lib.mapAttrs (_: toString) {
    inherit (pkgs) zlib cuda curl zstd vendorLibs;
    ldshim = pkg "ldshim-0.1";
    gcclib = pkgs.stdenv.cc.cc;
    openssllib = pkgs.openssl.lib;
    glibc240 = glibc240;
    dynamicLinker = pkgs.stdenv.cc.bintools.dynamicLinker;
    defaultPackage = pkgs.callPackage (root + "/nix/package.nix") { };
  };
  storeDir = builtins.storeDir;
  cachePathRoom = ldshimLib.cachePathRoom;

  # The module with its package, libraries and program sections.
  full = show (eval [
    sections
    {
      programs.ldshim.enable = true;
      programs.ldshim.package = pkg "ldshim-0.1";
      programs.ldshim.libraries = [ pkgs.zlib pkgs.openssl ];
    }
  ]);

  # Switching from nix-ld: the configuration as it was, with its
  # programs.nix-ld.enable line changed to programs.ldshim.enable.
  switch = show (eval [
    { programs.nix-ld.libraries = [ pkgs.zlib pkgs.vendorLibs ]; }
    { programs.ldshim.enable = true; }
  ]);
  # Nothing set: nix-ld's default library list.
  nixLdDefaults = show (eval [ { programs.ldshim.enable = true; } ]);
  # Both loaders: an assertion fails.
  both = show (eval [ { programs.ldshim.enable = true; programs.nix-ld.enable = true; } ]);
  disabled = show (eval [ sections ]);
  noCache = show (eval [ sections { programs.ldshim.enable = true; programs.ldshim.libraryCache.enable = false; } ]);
  strict = show (eval [ sections { programs.ldshim.enable = true; programs.ldshim.libraryCache.strict = true; } ]);

  # nix/lib.nix for a dev shell.
  lib = {
    cache = { path = toString cache; inherit (cache) name libraryPath dirs script; };
    shellEnv = ldshimLib.mkShellEnv {
      inherit pkgs;
      ldshim = pkg "ldshim-0.1";
      libraries = [ pkgs.zlib pkgs.openssl ];
      dirs = [ "${pkgs.cuda}/lib64" ];
    };
    nonStrict = (ldshimLib.mkLibraryCache {
      inherit pkgs; ldshim = pkg "ldshim-0.1"; libraries = [ pkgs.openssl ]; strict = false;
    }).script;
    # The longest name that fits, 26 characters in /nix/store.
    longest = toString (ldshimLib.mkLibraryCache {
      inherit pkgs; ldshim = pkg "ldshim-0.1"; libraries = [ pkgs.zlib ];
      name = "ldshim-cache-0123456789abc";
    });
  };
}
