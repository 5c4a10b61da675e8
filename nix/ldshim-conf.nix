# The text of /etc/ldshim.conf (README "Configuration file"), from
# builtins only so that tests can evaluate it without nixpkgs.
#   programs: { "/opt/vendor/bin/tool" = { libraryPath = "..."; ldso = "..."; }; }
#   buildIds: { "8f3c0a..." = { libraryPath = "..."; }; }
{ ldso, libraryPath, mode ? null, allowUserConfig ? false
, programs ? { }, buildIds ? { }, extraConfig ? "" }:
let
  entry = header: p:
    "\n[${header}]\n"
    + (if p ? libraryPath then "library-path = ${p.libraryPath}\n" else "")
    + (if p ? ldso then "ld.so = ${p.ldso}\n" else "");
  sections = kind: set:
    builtins.concatStringsSep "" (map (k: entry "${kind} ${k}" set.${k}) (builtins.attrNames set));
in
''
  # Written by the NixOS module programs.ldshim.
  ld.so = ${ldso}
  library-path = ${libraryPath}
  allow-user-config = ${if allowUserConfig then "yes" else "no"}
''
+ (if mode == null then "" else "mode = ${mode}\n")
+ sections "program" programs
+ sections "build-id" buildIds
+ extraConfig
