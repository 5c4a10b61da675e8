# Helpers for the cross-architecture tests: source tests/lib.sh, then this
# file, then call cross_init ARCH. Each architecture runs under qemu-user
# in a simulated NixOS of its own (see qemu-sim):
#
#   build/tests/<arch>/root    the guest's "/": lib/<interpreter> is ldshim
#                              (or, for controls, an empty file), and an
#                              empty etc/ld.so.cache hides the host's.
#                              Nothing else: no libraries, no real ld.so;
#                              and /qemu-exec (see xroot_init).
#   .../root-direct            the control: the real ld.so at the
#                              interpreter path, libc in /lib
#   .../root-default           ldshim built with the store as its defaults
#   build/tests/<arch>/store   the real ld.so, libc and the test libraries
#                              (a host path; qemu -L falls back to the host
#                              for paths not under the root).
#
# qemu-user notes that shape the tests:
# - The guest environment is given with -E under `env -i`: qemu's own
#   environment is then empty, and no guest variable (LD_LIBRARY_PATH!)
#   reaches the host qemu. qemu builds the guest's list in reverse order of
#   the -E options; xrun reverses them back, so the guest gets them in the
#   order given.
# - qemu-user maps the interpreter itself (its own ELF loader plays the
#   kernel): ldshim's entry state and auxv come from qemu, not Linux.

CROSS_ARCHES="i386 aarch64 riscv64"

# cross_init ARCH: set the per-arch names; returns 1 (with $CROSS_WHY) when
# this machine cannot run the arch.
cross_init() {
	XARCH=$1
	case $XARCH in
	i386)    XTRIPLE=i686-linux-gnu;    XQEMU=qemu-i386;    XINTERP=/lib/ld-linux.so.2;               XSYS=i686_linux ;;
	aarch64) XTRIPLE=aarch64-linux-gnu; XQEMU=qemu-aarch64; XINTERP=/lib/ld-linux-aarch64.so.1;       XSYS=aarch64_linux ;;
	riscv64) XTRIPLE=riscv64-linux-gnu; XQEMU=qemu-riscv64; XINTERP=/lib/ld-linux-riscv64-lp64d.so.1; XSYS=riscv64_linux ;;
	*) CROSS_WHY="unknown arch $XARCH"; return 1 ;;
	esac
	XCC=$XTRIPLE-gcc
	XSYSROOT=/usr/$XTRIPLE
	XLDNAME=$(basename "$XINTERP")
	XT=$BUILD/tests/$XARCH
	XROOT=$XT/root
	XSTORE=$XT/store
	XSTORE_LDSO=$XSTORE/lib/$XLDNAME
	XLDSHIM=$BUILD/$XARCH/ldshim
	CROSS_WHY=
	command -v "$XCC" >/dev/null || CROSS_WHY="no $XCC (apt-get install gcc-$XTRIPLE)"
	[ -n "$CROSS_WHY" ] || command -v "$XQEMU" >/dev/null || CROSS_WHY="no $XQEMU (apt-get install qemu-user)"
	[ -n "$CROSS_WHY" ] || [ -e "$XSYSROOT/lib/$XLDNAME" ] || CROSS_WHY="no $XSYSROOT/lib/$XLDNAME (libc6-dev-*-cross)"
	[ -z "$CROSS_WHY" ]
}

# cross_build: ldshim for the arch (make is quick when it is up to date).
cross_build() {
	make -s -C "$ROOT" ARCH="$XARCH" >"$XT.make.log" 2>&1 ||
		{ CROSS_WHY="make ARCH=$XARCH failed: $(tail -3 "$XT.make.log")"; return 1; }
}

# xcc OUT SRC... [-- FLAGS]: a program or library for the arch.
xcc() { CC=$XCC cc_prog "$@"; }

# The store: the real ld.so and libc of the cross sysroot.
xstore_init() {
	mkdir -p "$XSTORE/lib"
	local f
	for f in "$XLDNAME" libc.so.6; do
		[ "$XSYSROOT/lib/$f" -ot "$XSTORE/lib/$f" ] || cp -L "$XSYSROOT/lib/$f" "$XSTORE/lib/$f"
	done
}

# xroot_init [LDSHIM]: the guest root $XROOT with LDSHIM (default: the
# arch's build; /dev/null: an empty file, the loader missing; "direct": the
# real ld.so, with libc in /lib, the control a run through ldshim is
# compared with) at the interpreter path, and /qemu-exec, the host helper
# that runs a guest child under qemu in this root again (qemu-exec.c).
xroot_init() {
	local shim=${1:-$XLDSHIM}
	rm -rf "$XROOT"
	mkdir -p "$XROOT/lib" "$XROOT/etc"
	: > "$XROOT/etc/ld.so.cache"
	case $shim in
	/dev/null) : > "$XROOT$XINTERP" ;;
	direct) cp "$XSTORE_LDSO" "$XROOT$XINTERP"; cp "$XSTORE/lib/libc.so.6" "$XROOT/lib/" ;;
	*) cp "$shim" "$XROOT$XINTERP" ;;
	esac
	local h=$XT/qemu-exec.$(basename "$XROOT")
	xhelper "$h" && cp "$h" "$XROOT/qemu-exec"
}

# xhelper OUT [GUEST-PROGRAM]: a host program that runs GUEST-PROGRAM (or
# its first argument) under qemu in $XROOT with the environment it is
# given (qemu-exec.c). Static, so that no LD_* variable of the guest's
# (LD_TRACE_LOADED_OBJECTS from ldd, LD_LIBRARY_PATH) acts on it.
xhelper() {
	cc_prog "$1" "$ROOT/tests/cross/qemu-exec.c" -- -static -DQEMU="\"$(command -v "$XQEMU")\"" \
		-DROOT="\"$XROOT\"" ${2:+-DPROG="\"$2\""}
}

# xrun [VAR=VALUE...] -- PROG ARGS...: run PROG under qemu in the guest
# root ($XROOT) with exactly that environment, in that order; argv[0] is
# $XARGV0 if set (so that two copies of a program can be compared).
xrun() {
	local envs=() opts=() i
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	for ((i = ${#envs[@]} - 1; i >= 0; i--)); do opts+=(-E "${envs[i]}"); done
	env -i "$(command -v "$XQEMU")" -L "$XROOT" ${XARGV0:+-0 "$XARGV0"} "${opts[@]}" "$@"
}

# xdirect OUT PROG [RUNPATH]: a NixOS program, a copy of PROG started by
# the store's real ld.so directly (PT_INTERP) and finding its libraries by
# DT_RUNPATH (default: the store's libc).
xdirect() {
	[ "$2" -ot "$1" ] && return 0
	cp "$2" "$1.tmp"
	patchelf --set-interpreter "$XSTORE_LDSO" --set-rpath "${3:-$XSTORE/lib}" "$1.tmp"
	mv "$1.tmp" "$1"
}
