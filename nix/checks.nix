# The flake's check of the NixOS module: the module in a NixOS
# configuration (the flake passes one made by nixpkgs' nixosSystem, the
# offline tests one made by the stand-ins of tests/nix), compared with
# what nix/README.md promises. A difference stops evaluation, naming what
# was expected and what came instead; otherwise the check builds the
# rendered /etc/ldshim.conf, and with it the library directory and the
# per-program cache the file names.
#   import ./checks.nix { pkgs; module; nixos = modules: <config>; }
# The attribute names do not depend on the evaluation, so that listing
# the checks costs nothing.
{ pkgs, module, nixos }:
let
  inherit (pkgs) lib;
  libDir = "/run/current-system/sw/share/nix-ld/lib";
  tool = "/opt/vendor/bin/tool";
  bothLoaders = "programs.ldshim and programs.nix-ld both install a loader at the interpreter path: enable only one.";

  withLdshim = extra: nixos ([ module { programs.ldshim.enable = true; } ] ++ extra);
  c = withLdshim [ { programs.ldshim.configFile.programs.${tool}.libraries = [ pkgs.openssl ]; } ];
  both = withLdshim [ { programs.nix-ld.enable = true; } ];
  # Only ldshim's assertion is forced: NixOS's others are not this check's.
  bothFails = config: lib.any (a: a.message == bothLoaders && !a.assertion) config.assertions;

  cfg = c.programs.ldshim;
  etc = c.environment.etc."ldshim.conf";
  hasLine = l: lib.elem l (lib.splitString "\n" etc.text);
  # Each: what, the value nix/README.md promises, the one evaluated.
  expected = [
    [ "environment.ldso" "${cfg.package}/libexec/nix-ld" "${c.environment.ldso}" ]
    [ "NIX_LD" "${libDir}/ld.so" c.environment.sessionVariables.NIX_LD ]
    [ "NIX_LD_LIBRARY_PATH" libDir c.environment.sessionVariables.NIX_LD_LIBRARY_PATH ]
    [ "the mode of /etc/ldshim.conf" "0444" etc.mode ]
    # By name: the store paths of NixOS's own packages are not forced
    # (one not available on a system would stop the check there).
    [ "the package and the library directory in systemPackages" true
      (lib.all (p: lib.elem p.name (map (q: q.name or null) c.environment.systemPackages))
        [ cfg.package cfg.libraryCache.derivations.libraries ]) ]
    [ "the ldshim assertion, alone" false (bothFails c) ]
    [ "the ldshim assertion, with programs.nix-ld.enable" true (bothFails both) ]
  ] ++ map (l: [ "a line of /etc/ldshim.conf: ${l}" true (hasLine l) ]) [
    "ld.so = ${libDir}/ld.so"
    "library-path = ${libDir}"
    "library-cache = ${libDir}/ld.so.cache"
    "[program ${tool}]"
    "library-path = ${lib.getLib pkgs.openssl}/lib"
    "library-cache = ${cfg.libraryCache.derivations.programs.${tool} or "(the program's cache, not built)"}"
  ];
  differences = map (e: "${lib.elemAt e 0}: expected ${builtins.toJSON (lib.elemAt e 1)}, got ${builtins.toJSON (lib.elemAt e 2)}")
    (lib.filter (e: lib.elemAt e 1 != lib.elemAt e 2) expected);
in
{
  module =
    if differences != [ ] then throw "ldshim's NixOS module: ${lib.concatStringsSep "; " differences}"
    else pkgs.runCommand "ldshim-module-check" { conf = etc.text; } ''printf '%s' "$conf" > "$out"'';
}
