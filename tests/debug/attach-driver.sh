# attach-driver.sh PROG GDB [GDB-ARGS...]: run inside the simulated NixOS
# (bash is itself started through ldshim there). Starts PROG wait, which
# prints "ready PID" and blocks reading a pipe, attaches GDB to it with
# GDB-ARGS, then lets PROG finish.
prog=$1 gdb=$2; shift 2
exec 3< <(sleep 60)
coproc P { exec "$prog" wait <&3; }
read -r word pid <&"${P[0]}"
[ "$word" = ready ] || { echo "attach-driver: $prog did not start: $word $pid"; exit 1; }
"$gdb" -nx -q -batch -p "$pid" "$@" 2>&1
kill "$pid" 2>/dev/null
wait "$P_PID" 2>/dev/null
exit 0
