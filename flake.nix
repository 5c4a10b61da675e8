# ldshim as a flake, for configurations that take their inputs as flakes
# (inputs.ldshim.nixosModules.default, nix run). The outputs are the files
# of nix/ and nothing more, so the flake and the classic imports
# (nix/README.md) give the same package, module and functions.
#
# No flake.lock is kept: nixpkgs is whatever the user's own lock (through
# `inputs.ldshim.inputs.nixpkgs.follows = "nixpkgs"`) or, used alone, the
# first `nix flake lock` picks. The tests replace it with nixpkgs' lib
# alone (tests/nix/t-flake.sh).
{
  description = "ldshim: a program interpreter for prebuilt Linux binaries on NixOS (a drop-in nix-ld)";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      # The architectures of arch/ (nix/package.nix's meta.platforms).
      systems = [ "x86_64-linux" "i686-linux" "aarch64-linux" "riscv64-linux" ];
      # Each system's attributes made lazily: the names evaluate without
      # nixpkgs' packages.
      forSystems = f: nixpkgs.lib.genAttrs systems (system: f system nixpkgs.legacyPackages.${system});
      ldshimLib = import ./nix/lib.nix;
    in
    {
      packages = forSystems (system: pkgs: rec {
        ldshim = pkgs.callPackage ./nix/package.nix { };
        default = ldshim;
      });

      overlays.default = final: prev: {
        ldshim = final.callPackage ./nix/package.nix { };
      };

      # The module as the classic import gives it: its package defaults to
      # callPackage ./package.nix with the configuration's own pkgs.
      # Imported by path, so that errors name the file and a configuration
      # that also imports it classically has it once; an attribute set, as
      # `nix flake check` wants a module to be.
      nixosModules.default = { imports = [ ./nix/module.nix ]; };

      lib = { inherit (ldshimLib) mkLibraryCache mkShellEnv; };

      checks = forSystems (system: pkgs:
        import ./nix/checks.nix {
          inherit pkgs;
          module = self.nixosModules.default;
          # A container: no boot loader or file systems to declare.
          nixos = modules: (nixpkgs.lib.nixosSystem {
            modules = modules ++ [ {
              nixpkgs.hostPlatform = system;
              boot.isContainer = true;
              system.stateVersion = nixpkgs.lib.trivial.release;
            } ];
          }).config;
        }
        // {
          package = self.packages.${system}.default;
          # A real cache, built by the package's ldshim-cache.
          library-cache = self.lib.mkLibraryCache {
            inherit pkgs;
            ldshim = self.packages.${system}.default;
            libraries = [ pkgs.zlib ];
          };
        });
    };
}
