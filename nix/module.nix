# NixOS module: ldshim at the standard program interpreter path.
#
# The options are those of nixpkgs' programs.nix-ld (enable, package,
# libraries) under programs.ldshim, and the module does what that one
# does: environment.ldso, the real ld.so and the libraries linked under
# /run/current-system/sw/share/nix-ld/lib, NIX_LD and NIX_LD_LIBRARY_PATH.
# Switching from nix-ld is one line:
#
#   imports = [ ./ldshim/nix/module.nix ];
#   programs.ldshim.enable = true;      # was: programs.nix-ld.enable = true;
#
# Libraries already listed in programs.nix-ld.libraries are kept. (Or keep
# nixpkgs' module and set only
#   programs.nix-ld.package = pkgs.callPackage ./ldshim/nix/package.nix { };
# then there is no library cache, see nix/README.md.)
#
# The library cache: the same derivation that links the libraries writes
# share/nix-ld/lib/ld.so.cache for that directory, recorded as
# /run/current-system/sw/share/nix-ld/lib, the path NIX_LD_LIBRARY_PATH
# names; ldshim points the real ld.so at it and injects nothing. A
# [program] section with libraries gets a cache of its own, built for its
# directories followed by the global one (the path ldshim searches then).
{ config, lib, pkgs, ... }:

let
  cfg = config.programs.ldshim;
  ldshimLib = import ./lib.nix;
  dir = "/share/nix-ld";
  libDir = "/run/current-system/sw${dir}/lib";   # what NIX_LD_LIBRARY_PATH names
  libraryCache = ldshimLib.checkCachePath "${libDir}/ld.so.cache";

  # share/nix-ld/lib: the libraries' lib directories merged, the real
  # glibc ld.so of this system as ld.so, and the cache.
  libraryEnv = pkgs.buildEnv {
    name = "ldshim-libraries";
    paths = map lib.getLib cfg.libraries;
    pathsToLink = [ "/lib" ];
    extraPrefix = dir;
    ignoreCollisions = true;
    postBuild = ''
      d="$out${dir}/lib"
      # An older buildEnv links a directory that only one package has
      # as a whole: make it a directory of links, to write into.
      if [ -L "$d" ]; then
        t=$(readlink "$d")
        rm "$d"
        mkdir "$d"
        find -H "$t" -mindepth 1 -maxdepth 1 -exec ln -s {} "$d/" \;
      fi
      mkdir -p "$d"
      ln -sf "${pkgs.stdenv.cc.bintools.dynamicLinker}" "$d/ld.so"
    '' + lib.optionalString cfg.libraryCache.enable (ldshimLib.runCacheTool {
      ldshim = cfg.package;
      arch = ldshimLib.archOf pkgs.stdenv.hostPlatform;
      inherit (cfg.libraryCache) strict;
      # Written beside, moved in after: the tool will not write into a
      # directory it reads. The directory is in the store: never stale.
      args = ''--map "$d=${libDir}" "$d"'';
      onCache = ''mv "$TMPDIR/ld.so.cache" "$d/ld.so.cache"'';
      onRefusal = ":";
    });
  };

  # A [program] section's cache: its directories, then the global one
  # (read in libraryEnv, recorded as NIX_LD_LIBRARY_PATH names it).
  programCache = p: ldshimLib.mkLibraryCache {
    inherit pkgs;
    ldshim = cfg.package;
    inherit (p) libraries;
    dirs = [ { dir = "${libraryEnv}${dir}/lib"; as = libDir; } ];
    inherit (cfg.libraryCache) strict;
  };
  programCaches = lib.mapAttrs (_: programCache)
    (lib.filterAttrs (_: p: p.libraries != [ ]) cfg.configFile.programs);
  sectionPath = p: lib.concatMapStringsSep ":" (l: "${lib.getLib l}/lib") p.libraries;

  # What most prebuilt programs expect a distribution to have.
  defaultLibraries = with pkgs; [
    stdenv.cc.cc
    zlib
    zstd
    bzip2
    xz
    openssl
    curl
    libxml2
    util-linux
    acl
    attr
  ];
in
{
  options.programs.ldshim = {
    enable = lib.mkEnableOption "ldshim, the program interpreter for prebuilt (unpatched) Linux binaries";

    package = lib.mkOption {
      type = lib.types.package;
      default = pkgs.callPackage ./package.nix { };
      defaultText = lib.literalExpression "pkgs.callPackage ./package.nix { }";
      description = "The ldshim package (laid out as nixpkgs' nix-ld package).";
    };

    # /etc/ldshim.conf: the same settings for programs started with no
    # environment (env -i, sandboxes, services), and per-program sets.
    configFile = {
      enable = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = "Write /etc/ldshim.conf with the real ld.so and the library path.";
      };
      mode = lib.mkOption {
        type = lib.types.nullOr (lib.types.enum [ "fallback" "override" ]);
        default = null;
        description = "Search order when NIX_LD_MODE is unset (null: ldshim's default, fallback).";
      };
      allowUserConfig = lib.mkOption {
        type = lib.types.bool;
        default = false;
        description = "Let users add ~/.config/ldshim.conf (never for setuid programs).";
      };
      programs = lib.mkOption {
        type = lib.types.attrsOf (lib.types.submodule {
          options = {
            libraries = lib.mkOption {
              type = lib.types.listOf lib.types.package;
              default = [ ];
              description = "Libraries searched before the global ones for this program.";
            };
            ldso = lib.mkOption {
              type = lib.types.nullOr lib.types.path;
              default = null;
              description = "A different real ld.so for this program (e.g. a newer glibc).";
            };
          };
        });
        default = { };
        example = lib.literalExpression ''{ "/opt/vendor/bin/tool".libraries = [ pkgs.cudaPackages.cudatoolkit ]; }'';
        description = "Per-program settings, by the program's absolute path.";
      };
      extraConfig = lib.mkOption {
        type = lib.types.lines;
        default = "";
        description = "Appended to /etc/ldshim.conf as is, e.g. [build-id HEX] sections.";
      };
    };

    libraryCache = {
      enable = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = ''
          Build a library cache (ldshim-cache) with the library directory,
          and one per configFile.programs entry with libraries, and name
          them in /etc/ldshim.conf: the Nix path is then searched where a
          distribution's own libraries are, with nothing injected.
        '';
      };
      strict = lib.mkOption {
        type = lib.types.bool;
        default = false;
        description = ''
          Fail the build when ldshim-cache refuses a directory list (a
          glibc-hwcaps subdirectory, a name clash). By default the build
          warns and goes on without that cache.
        '';
      };
      derivations = lib.mkOption {
        type = lib.types.attrs;
        internal = true;
        readOnly = true;
        description = "The library directory (libraries) and the per-program caches (programs), for inspection and tests.";
      };
    };

    libraries = lib.mkOption {
      type = lib.types.listOf lib.types.package;
      default = config.programs.nix-ld.libraries or defaultLibraries;
      defaultText = lib.literalExpression "config.programs.nix-ld.libraries, or a list of common libraries";
      description = "Libraries that prebuilt programs find through NIX_LD_LIBRARY_PATH.";
    };
  };

  config = lib.mkIf cfg.enable {
    assertions = [{
      assertion = !(config.programs.nix-ld.enable or false);
      message = "programs.ldshim and programs.nix-ld both install a loader at the interpreter path: enable only one.";
    }];

    environment.ldso = "${cfg.package}/libexec/nix-ld";
    environment.systemPackages = [ cfg.package libraryEnv ];
    environment.pathsToLink = [ dir ];

    programs.ldshim.libraryCache.derivations = {
      libraries = libraryEnv;
      programs = if cfg.libraryCache.enable then programCaches else { };
    };

    environment.etc."ldshim.conf" = lib.mkIf cfg.configFile.enable {
      mode = "0444";   # a root-owned copy: ldshim ignores writable files
      text = import ./ldshim-conf.nix {
        ldso = "${libDir}/ld.so";
        libraryPath = libDir;
        libraryCache = if cfg.libraryCache.enable then libraryCache else null;
        inherit (cfg.configFile) mode allowUserConfig extraConfig;
        programs = lib.mapAttrs (path: p:
          lib.optionalAttrs (p.libraries != [ ]) { libraryPath = sectionPath p; }
          // lib.optionalAttrs (p.libraries != [ ] && cfg.libraryCache.enable) {
            libraryCache = "${programCaches.${path}}";
          }
          // lib.optionalAttrs (p.ldso != null) { ldso = "${p.ldso}"; }) cfg.configFile.programs;
      };
    };

    # Session variables reach login shells, PAM sessions and user services.
    environment.sessionVariables = {
      NIX_LD = "${libDir}/ld.so";
      NIX_LD_LIBRARY_PATH = libDir;
    };
  };
}
