# The text of /etc/ldshim.conf (README "Configuration file"), from
# builtins only so that tests can evaluate it without nixpkgs.
#   programs: { "/opt/vendor/bin/tool" = { libraryPath = "..."; libraryCache = "..."; ldso = "..."; }; }
#   buildIds: { "8f3c0a..." = { libraryPath = "..."; }; }
# libraryCache (global or per section): a cache ldshim-cache built for
# that scope's effective path (a section's: its libraryPath, then the
# global one), at most 70 bytes long (nix/README.md).
{ ldso, libraryPath, libraryCache ? null, mode ? null, allowUserConfig ? false
, programs ? { }, buildIds ? { }, extraConfig ? "" }:
let
  entry = header: p:
    "\n[${header}]\n"
    + (if p ? libraryPath then "library-path = ${p.libraryPath}\n" else "")
    + (if p ? libraryCache then "library-cache = ${p.libraryCache}\n" else "")
    + (if p ? ldso then "ld.so = ${p.ldso}\n" else "");
  sections = kind: set:
    builtins.concatStringsSep "" (map (k: entry "${kind} ${k}" set.${k}) (builtins.attrNames set));
in
''
  # Written by the NixOS module programs.ldshim.
  ld.so = ${ldso}
  library-path = ${libraryPath}
''
+ (if libraryCache == null then "" else "library-cache = ${libraryCache}\n")
+ "allow-user-config = ${if allowUserConfig then "yes" else "no"}\n"
+ (if mode == null then "" else "mode = ${mode}\n")
+ sections "program" programs
+ sections "build-id" buildIds
+ extraConfig
