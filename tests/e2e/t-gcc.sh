# gcc (Debian's, a foreign program) compiles and links a C file: the
# driver runs cc1, as and collect2 -> ld, every one foreign and started
# through ldshim. With -wrapper each runs under the NixOS child first:
# gcc (foreign) -> nixchild (NixOS) -> cc1/as/collect2 (foreign). The
# libc development files (hidden in the simulated NixOS, as NixOS has no
# /usr/lib) come from a sysroot the test assembles. The program it makes
# then runs through ldshim too.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/e2e.sh"
is_root || { skip gcc "needs root for the simulated NixOS"; exit 0; }
e2e_init
gcc=$(readlink -f "$(command -v gcc)")
tools=("$gcc" "$(gcc -print-prog-name=cc1)" "$(gcc -print-prog-name=collect2)"
	"$(command -v as)" "$(readlink -f "$(command -v ld)")")
d=$(e2e_store gcc "${tools[@]}")
version gcc "$(gcc --version | head -1); $(as --version | head -1)"
# The sysroot: the files of libc6-dev and libc6 the link reads. The
# linker script libc.so names absolute paths; ld looks them up in the
# sysroot.
s=$E/gcc-sysroot; m=/usr/lib/x86_64-linux-gnu
if [ ! -e "$s/.done" ]; then
	mkdir -p "$s/usr/lib/x86_64-linux-gnu" "$s/lib/x86_64-linux-gnu" "$s/lib64" "$s/usr"
	cp -L $m/crt1.o $m/crti.o $m/crtn.o $m/Scrt1.o $m/libc.so $m/libc_nonshared.a \
		$m/libm.so $m/libm.so.6 $m/libmvec.so.1 $m/libgcc_s.so.1 "$s/usr/lib/x86_64-linux-gnu/"
	[ -e $m/libm-2.36.a ] && cp -L $m/libm-2.36.a $m/libmvec.a "$s/usr/lib/x86_64-linux-gnu/"
	cp -L $m/libc.so.6 $m/libm.so.6 $m/libmvec.so.1 "$s/lib/x86_64-linux-gnu/"
	cp -L "$REAL_LDSO" "$s/lib64/ld-linux-x86-64.so.2"
	ln -sfn /usr/include "$s/usr/include"
	touch "$s/.done"
fi
o=$E/gcc; rm -rf "$o"; mkdir -p "$o"
user_env "$d" "NIXCHILD_LOG=$o/children"

run_sim "$o/cc" "$gcc" --sysroot="$s" -O2 -wrapper "$NIXCHILD,--exec" \
	-o "$o/hello" "$SRC/hello-cc.c" -lm; rc=$?
if ran gcc-compile-link "$o/cc" $rc; then
	[ -x "$o/hello" ] && pass gcc-compile-link || fail gcc-compile-link "gcc exited 0 without writing $o/hello"
fi
# One report per subprocess (cc1, as, collect2); the driver adds its
# COLLECT_*, OFFLOAD_TARGET_* and search-path variables.
check_children gcc-subprocesses-nixos-own-lib "$o/children" 3 'COLLECT_[A-Z_]*|COMPILER_PATH|LIBRARY_PATH|OFFLOAD_TARGET_[A-Z_]*'
run_sim "$o/run" "$o/hello"; rc=$?
ran gcc-output-runs "$o/run" $rc && check_eq gcc-output-runs \
	"compiled in NixOS: sqrt(2) = 1.414, LD_LIBRARY_PATH unset" "$(cat "$o/run")"
