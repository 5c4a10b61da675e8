# A fixed sample of the differential sweep (make sweep, tests/sweep/
# sweep.sh): 40 programs of /usr/bin and /usr/sbin, chosen by a hash of
# their names, started natively and, in the simulated NixOS on the Nix
# glibc, through ldshim and nix-ld 2.0.6, in every environment: the system
# cache, the automatic cache (XDG_RUNTIME_DIR), a user's path without
# XDG_RUNTIME_DIR, and the last resort (no cache home). Fails on any
# program ldshim starts worse than nix-ld; prints both loaders' counts.
exec bash "$(dirname "$0")/sweep.sh" --sample 40
