# A start nix-ld 2.0.6 gets wrong and ldshim must keep getting right: no
# NIX_LD* variable at all (the module's defaults, as `env -i`, a systemd
# service or sudo leave it). nix-ld then adds LD_LIBRARY_PATH in a new
# slot, moving the stack, and `bash -c 'echo hi'` dies with SIGSEGV
# (issue 21). ldshim runs it, through the system cache. The peer is run
# too, and its crash recorded when it happens here; if it does not, only
# ldshim is checked and the suite says so.
. "$(dirname "$0")/../lib.sh"
is_root || { skip no-variables "needs root (the simulated NixOS)"; exit 0; }
[ "$SIM_GLIBC" = nix ] || { skip no-variables "no $NIXGLIBC_TAR: the simulation has no NixOS system to take defaults from"; exit 0; }
store_init
store_add /bin/bash
say_start "no NIX_LD* variable: the module's defaults"
PEER=$SHARED/peers/nix-ld-rust-2.0.6

out=$(env -i "$SIM" -- /bin/bash -c 'echo hi' 2>&1); rc=$?
check_eq ldshim-bash-without-variables "hi rc=0" "$out rc=$rc"
# And its children: a shell started by the shell, the same way.
out=$(env -i "$SIM" -- /bin/bash -c '/bin/bash -c "echo \$0 hi"; echo done' 2>&1); rc=$?
check_eq ldshim-bash-child-without-variables "/bin/bash hi
done rc=0" "$out rc=$rc"

if [ ! -x "$PEER" ]; then
	skip nix-ld-2.0.6-crash "no $PEER: only ldshim checked"
	exit 0
fi
out=$(env -i "$SIM" --ldshim "$PEER" -- /bin/bash -c 'echo hi' 2>&1); rc=$?
if [ $rc = 139 ]; then
	pass nix-ld-2.0.6-crash-recorded
	echo "# nix-ld 2.0.6 without NIX_LD* variables: bash -c 'echo hi' killed by SIGSEGV (status $rc)"
else
	skip nix-ld-2.0.6-crash "nix-ld 2.0.6 did not crash here (status $rc, output: ${out:0:200}): only ldshim checked"
fi
