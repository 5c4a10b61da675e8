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
#   programs.nix-ld.package = pkgs.callPackage ./ldshim/nix/package.nix { };)
{ config, lib, pkgs, ... }:

let
  cfg = config.programs.ldshim;
  dir = "/share/nix-ld";

  # share/nix-ld/lib/ld.so: the real glibc ld.so of this system.
  realLdso = pkgs.runCommand "ldshim-ld.so" { } ''
    mkdir -p "$out${dir}/lib"
    ln -s "${pkgs.stdenv.cc.bintools.dynamicLinker}" "$out${dir}/lib/ld.so"
  '';

  # share/nix-ld/lib/*: the libraries' lib directories, merged.
  libraryEnv = pkgs.buildEnv {
    name = "ldshim-libraries";
    paths = map lib.getLib cfg.libraries;
    pathsToLink = [ "/lib" ];
    extraPrefix = dir;
    ignoreCollisions = true;
  };

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
    environment.systemPackages = [ cfg.package realLdso libraryEnv ];
    environment.pathsToLink = [ dir ];

    environment.etc."ldshim.conf" = lib.mkIf cfg.configFile.enable {
      mode = "0444";   # a root-owned copy: ldshim ignores writable files
      text = import ./ldshim-conf.nix {
        ldso = "/run/current-system/sw${dir}/lib/ld.so";
        libraryPath = "/run/current-system/sw${dir}/lib";
        inherit (cfg.configFile) mode allowUserConfig extraConfig;
        programs = lib.mapAttrs (_: p:
          lib.optionalAttrs (p.libraries != [ ]) { libraryPath = lib.makeLibraryPath p.libraries; }
          // lib.optionalAttrs (p.ldso != null) { ldso = "${p.ldso}"; }) cfg.configFile.programs;
      };
    };

    # Session variables reach login shells, PAM sessions and user services.
    environment.sessionVariables = {
      NIX_LD = "/run/current-system/sw${dir}/lib/ld.so";
      NIX_LD_LIBRARY_PATH = "/run/current-system/sw${dir}/lib";
    };
  };
}
