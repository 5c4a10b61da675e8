# nixpkgs as a flake, for `nix flake check --no-build` of ldshim's flake
# offline (tests/nix/t-flake.sh copies it as flake.nix beside nixpkgs'
# lib and stand-in.nix). What `nix flake check` asks of the outputs is
# real: lib is nixpkgs' own, and the packages and checks are derivations
# (builtins.derivation, never built). What nixpkgs would build is stood
# in: callPackage, runCommand and buildEnv give derivations of a shell
# that does nothing, and nixosSystem evaluates the stand-ins' NixOS
# options (stand-in.nix) with the container and platform settings the
# flake adds declared as anything.
{
  outputs = { self }:
    let
      lib = import ./lib;
      s = import ./stand-in.nix { inherit lib; root = null; };
      systems = [ "x86_64-linux" "i686-linux" "aarch64-linux" "riscv64-linux" ];

      # A derivation of NAME for SYSTEM whose builder runs SCRIPT, with
      # ATTRS given to it; PASSTHRU only on the value.
      drv = system: name: attrs: script: passthru:
        derivation ({ inherit name system; builder = "/bin/sh"; args = [ "-c" script ]; } // attrs)
        // passthru;

      pkgsFor = system: s.pkgs // {
        callPackage = path: args: drv system "stand-in-${baseNameOf path}" { } ":" { };
        runCommand = name: env: script:
          drv system name (removeAttrs env [ "passthru" ]) script
            ({ inherit env script; } // env.passthru or { });
        buildEnv = args: drv system args.name { } args.postBuild { inherit args; };
      };

      anything = lib.mkOption { type = lib.types.anything; };
    in
    {
      lib = lib // {
        nixosSystem = args: {
          config = s.nixos (args.modules ++ [ {
            options.boot.isContainer = anything;
            options.system.stateVersion = anything;
            options.nixpkgs.hostPlatform = anything;
          } ]);
        };
      };
      legacyPackages = lib.genAttrs systems pkgsFor;
    };
}
