# What the module and nix/lib.nix need of NixOS and nixpkgs, stood in for
# with nixpkgs' real lib (the module system) and nothing else:
#   pkgs     packages are attribute sets with a store path; runCommand and
#            buildEnv return their arguments (script, postBuild) with a
#            store path that changes with them
#   options  the NixOS options the module sets, declared as NixOS does
#   nixos    lib.evalModules with these and the modules given (what
#            nixpkgs' nixosSystem is to nix/checks.nix in the flake)
#   eval     the same with the project's module (or the one given: the
#            flake's, tests/nix/t-flake.sh)
{ lib, root, module ? root + "/nix/module.nix" }:
let
  hash = s: builtins.substring 0 32 (builtins.hashString "sha256" s);
  pkg = name: { type = "derivation"; inherit name; outPath = "${builtins.storeDir}/${hash name}-${name}"; };
  built = name: args: {
    type = "derivation";
    inherit name;
    outPath = "${builtins.storeDir}/${hash (name + builtins.toJSON args)}-${name}";
  } // args // (args.passthru or args.env.passthru or { });
  glibc = pkg "glibc-2.40-66";
in
rec {
  inherit pkg;
  pkgs = {
    inherit lib;
    runCommand = name: env: script: built name { inherit env script; };
    buildEnv = args: built args.name { inherit args; };
    # The module's default package: callPackage ./package.nix { }.
    callPackage = path: args: pkg "callPackage-${baseNameOf path}";
    stdenv = {
      hostPlatform = { isx86_64 = true; isx86_32 = false; isAarch64 = false; isRiscV64 = false; system = "x86_64-linux"; };
      cc.bintools.dynamicLinker = "${glibc}/lib/ld-linux-x86-64.so.2";
      cc.cc = pkg "gcc-13.3.0-lib";
    };
    # A package with a lib output: lib.getLib picks it.
    openssl = pkg "openssl-3.0.14" // { lib = pkg "openssl-3.0.14-lib"; };
    cuda = pkg "cudatoolkit-12.4";
    vendorLibs = pkg "vendor-libs-1";
  } // lib.genAttrs [ "zlib" "zstd" "bzip2" "xz" "curl" "libxml2" "util-linux" "acl" "attr" ] pkg;

  options = {
    options = with lib; {
      assertions = mkOption { type = types.listOf types.unspecified; default = [ ]; };
      environment.etc = mkOption {
        type = types.attrsOf (types.submodule {
          options.text = mkOption { type = types.nullOr types.lines; default = null; };
          options.mode = mkOption { type = types.str; default = "symlink"; };
        });
        default = { };
      };
      environment.sessionVariables = mkOption { type = types.attrsOf types.str; default = { }; };
      environment.ldso = mkOption { type = types.nullOr types.path; default = null; };
      environment.systemPackages = mkOption { type = types.listOf types.package; default = [ ]; };
      environment.pathsToLink = mkOption { type = types.listOf types.str; default = [ ]; };
      # nixpkgs' programs.nix-ld, as far as ldshim's module reads it.
      programs.nix-ld.enable = mkEnableOption "nix-ld";
      programs.nix-ld.libraries = mkOption {
        type = types.listOf types.package;
        default = with pkgs; [ zlib zstd stdenv.cc.cc curl openssl ];
      };
    };
  };

  nixos = modules: (lib.evalModules {
    modules = [ options { _module.args.pkgs = pkgs; } ] ++ modules;
  }).config;
  eval = modules: nixos ([ module ] ++ modules);

  ldshimLib = import (root + "/nix/lib.nix");
}
