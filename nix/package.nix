# ldshim as a Nix package, with the layout of nixpkgs' nix-ld package so
# that the NixOS module (nixpkgs' programs.nix-ld, or ./module.nix) can use
# it unchanged:
#   $out/libexec/ldshim, $out/libexec/nix-ld -> ldshim
#   $out/nix-support/ldpath          the interpreter path of the system
#   $out/lib/tmpfiles.d/ldshim.conf  L+ <ldpath> - - - - $out/libexec/nix-ld
#   $out/share/man/man8/ldshim.8
#   $out/bin/ldshim-cache            the library cache generator (nix/lib.nix)
#   $out/bin/ldshim -> ../libexec/ldshim   run as a command (`nix run`,
#                                    `ldshim PROGRAM`, `ldshim --config PROGRAM`)
#
#   programs.nix-ld.package = pkgs.callPackage ./nix/package.nix { };
{ lib, stdenv }:

let
  inherit (import ./lib.nix) archOf;
  prefix = stdenv.cc.targetPrefix;
in
stdenv.mkDerivation {
  pname = "ldshim";
  version = "0.1";

  src = lib.cleanSource ../.;

  # The Makefile names the cross tools per architecture; Nix's own
  # compiler and binutils are the right ones here, native or cross.
  makeFlags = [
    "ARCH=${archOf stdenv.hostPlatform}"
    "HOST_ARCH=${archOf stdenv.hostPlatform}"
    "CROSS_CC=${prefix}cc"
    "READELF=${prefix}readelf"
    "OBJCOPY=${prefix}objcopy"
    "PREFIX=${placeholder "out"}"
  ];

  # The shim is freestanding and static-pie, built with its own flags
  # (no stack protector, no libc, no relocations): hardening flags would
  # add what it must not rely on.
  hardeningDisable = [ "all" ];

  # meta.mainProgram is what `nix run` and lib.getExe start: bin/ldshim.
  postInstall = ''
    ln -s ../libexec/ldshim "$out/bin/ldshim"
  '';

  # make install already strips it, keeping the symbols debuggers need;
  # it has no dynamic section to patch.
  dontStrip = true;
  dontPatchELF = true;

  # The tests need root and a mount namespace (a simulated NixOS).
  doCheck = false;

  meta = {
    description = "Program interpreter that runs prebuilt Linux binaries on NixOS without leaking LD_LIBRARY_PATH (a drop-in nix-ld)";
    mainProgram = "ldshim";
    platforms = [ "x86_64-linux" "i686-linux" "aarch64-linux" "riscv64-linux" ];
  };
}
