# Fallback mode (the default) and override mode (tests/fallback) for one
# architecture under qemu-user. Start kind: the last resort (Debian's
# cross ld.so has no room for an automatic cache's name): the program's
# RUNPATH before the Nix path, for start-up and dlopen; override puts the
# Nix path first; ld.so run as a command and ldd report the same; the
# trace names the file really opened.
# Called by cross_suite after cross_init/cross_build/xstore_init.
cross_fallback() {
	local a=$XARCH S=$ROOT/tests/fallback F=$XT/fallback out
	xso "$F/nix/libfoo.so.1" "$S/foo.c" -DVERSION='"A-nix"'
	xso "$F/app/lib/libfoo.so.1" "$S/foo.c" -DVERSION='"B-bundled"'
	xso "$F/user/libfoo.so.1" "$S/foo.c" -DVERSION='"C-user"'
	xso "$F/nix/libbar.so.1" "$S/bar.c" -L"$F/nix" -l:libfoo.so.1
	xcc "$F/app/bundled" "$S/app.c" -- -L"$F/nix" -l:libfoo.so.1 -Wl,--enable-new-dtags -Wl,-rpath,'$ORIGIN/lib'
	xcc "$F/app/plain" "$S/app.c" -- -L"$F/nix" -l:libfoo.so.1
	XROOT=$XT/root; xroot_init

	check_eq "fallback-runpath-bundle-wins-$a" "$(xfoo B-bundled)" "$(xfb fallback bundled)"
	check_eq "fallback-no-runpath-gets-nix-$a" "$(xfoo A-nix)" "$(xfb fallback plain)"
	check_eq "fallback-user-path-beats-both-$a" "$(xfoo C-user)" "$(xfb fallback bundled "LD_LIBRARY_PATH=$F/user")"
	check_eq "override-nix-path-beats-bundle-$a" "$(xfoo A-nix)" "$(xfb override bundled)"
	out=$(xfb fallback bundled "LD_AUDIT=$F/none.so")
	case $out in *"linked B-bundled"*"LD_AUDIT $F/none.so"*) pass "fallback-user-audit-kept-$a" ;;
	*) fail "fallback-user-audit-kept-$a" "expected B-bundled and the user's LD_AUDIT, got: $out" ;; esac

	# Run as a command (ldshim PROG, ldshim --list PROG) and ldd: the
	# host's ldd script with its list of loaders replaced by a helper that
	# runs the arch's ldshim under qemu (ldd runs "$RTLD" --verify, then
	# the program with LD_TRACE_LOADED_OBJECTS=1).
	check_eq "fallback-explicit-run-$a" "$(xfoo B-bundled)" "$(xfb fallback "" "$XLDSHIM" "$F/app/bundled")"
	check_eq "fallback-explicit-list-$a" "libfoo.so.1 $F/app/lib/libfoo.so.1" "$(xfb fallback "" "$XLDSHIM" --list "$F/app/bundled" | xnames)"
	check_eq "fallback-explicit-list-plain-$a" "libfoo.so.1 $F/nix/libfoo.so.1" "$(xfb fallback "" "$XLDSHIM" --list "$F/app/plain" | xnames)"
	check_eq "override-explicit-list-$a" "libfoo.so.1 $F/nix/libfoo.so.1" "$(xfb override "" "$XLDSHIM" --list "$F/app/bundled" | xnames)"
	xhelper "$F/rtld" "$XLDSHIM"
	sed "s|^RTLDLIST=.*|RTLDLIST=$F/rtld|" /usr/bin/ldd > "$F/ldd"
	check_eq "fallback-ldd-$a" "libfoo.so.1 $F/app/lib/libfoo.so.1" "$(xldd fallback "$F/app/bundled" | xnames)"
	check_eq "override-ldd-$a" "libfoo.so.1 $F/nix/libfoo.so.1" "$(xldd override "$F/app/bundled" | xnames)"
	# As the program's interpreter, ld.so's trace names the file opened.
	check_eq "fallback-trace-names-real-file-$a" "libfoo.so.1 $F/nix/libfoo.so.1" "$(xfb fallback plain LD_TRACE_LOADED_OBJECTS=1 | xnames)"
}

# xfoo V: what app.c prints when every libfoo it gets is V.
xfoo() { printf 'linked %s\ndlopen %s\nbar %s\nLD_AUDIT unset' "$1" "$1" "$1"; }
xnames() { sed -n 's/^\t*\(libfoo.so.1\|libbar.so.1\) => \([^ ]*\).*/\1 \2/p'; }

# xfb MODE PROG [VAR=VALUE...] [COMMAND...]: app/PROG (PROG "": COMMAND
# only) in the guest root through ldshim, the Nix path holding A.
xfb() {
	local mode=$1 prog=$2 vars=(); shift 2
	while [ $# -gt 0 ] && [[ $1 == *=* ]]; do vars+=("$1"); shift; done
	xrun "NIX_LD=$XSTORE_LDSO" "NIX_LD_LIBRARY_PATH=$XSTORE/lib:$F/nix" "NIX_LD_MODE=$mode" "${vars[@]}" \
		-- ${prog:+"$F/app/$prog"} "$@" 2>&1
}

# xldd MODE PROG: the host's ldd with the arch's ldshim as its loader.
xldd() {
	env -i "NIX_LD=$XSTORE_LDSO" "NIX_LD_LIBRARY_PATH=$XSTORE/lib:$F/nix" "NIX_LD_MODE=$1" \
		PATH=/usr/bin:/bin bash "$F/ldd" "$2" 2>&1
}

# The library cache for one architecture (tests/cache): ldshim-cache
# --arch builds it, the arch's ld.so reads it where ldshim points its
# cache path string (16 bytes of room in Debian's: a short path), with
# nothing injected; every byte ldshim changes in ld.so, decoded on the
# host. Called after cross_fallback (its programs and libraries).
cross_cache() {
	local a=$XARCH F=$XT/fallback out rc K=$XK
	if ! "$BUILD/ldshim-cache" --arch "$a" -o "$K/c" "$XSTORE/lib" "$F/nix" >"$XT.cache.log" 2>&1; then
		fail "cache-build-$a" "ldshim-cache --arch $a failed: $(head -3 "$XT.cache.log")"; return
	fi
	out=$(xfb fallback bundled "NIX_LD_LIBRARY_CACHE=$K/c" NIX_LD_LOG=info)
	case $out in *"served by the library cache $K/c: nothing injected"*) pass "cache-used-$a" ;;
	*) fail "cache-used-$a" "expected the cache used, got: $out" ;; esac
	check_eq "cache-runpath-bundle-wins-$a" "$(xfoo B-bundled)" "$(xfb fallback bundled "NIX_LD_LIBRARY_CACHE=$K/c")"
	check_eq "cache-no-runpath-gets-nix-$a" "$(xfoo A-nix)" "$(xfb fallback plain "NIX_LD_LIBRARY_CACHE=$K/c")"
	check_eq "cache-user-path-beats-both-$a" "$(xfoo C-user)" "$(xfb fallback bundled "NIX_LD_LIBRARY_CACHE=$K/c" "LD_LIBRARY_PATH=$F/user")"
	check_eq "cache-explicit-list-$a" "libfoo.so.1 $F/nix/libfoo.so.1" \
		"$(xfb fallback "" "NIX_LD_LIBRARY_CACHE=$K/c" "$XLDSHIM" --list "$F/app/plain" | xnames)"
	check_eq "cache-trace-names-real-file-$a" "libfoo.so.1 $F/nix/libfoo.so.1" \
		"$(xfb fallback plain "NIX_LD_LIBRARY_CACHE=$K/c" LD_TRACE_LOADED_OBJECTS=1 | xnames)"
	# Built for another architecture: not used, the last resort's way.
	"$BUILD/ldshim-cache" --arch "$([ "$a" = aarch64 ] && echo riscv64 || echo aarch64)" \
		-o "$K/o" "$XSTORE/lib" "$F/nix" >/dev/null 2>&1
	out=$(xfb fallback plain "NIX_LD_LIBRARY_CACHE=$K/o" NIX_LD_LOG=info)
	case $out in *"not used: built for another architecture"*"linked A-nix"*) pass "cache-other-arch-$a" ;;
	*) fail "cache-other-arch-$a" "expected the other architecture's cache refused, got: $out" ;; esac
	# 64 KiB of initial-exec TLS starts with the cache (no audit module).
	xso "$F/nix/libbigtls.so.1" "$ROOT/tests/cache/bigtls.c"
	xcc "$F/app/tlsprog" "$ROOT/tests/cache/tlsprog.c" -- -L"$F/nix" -l:libbigtls.so.1
	"$BUILD/ldshim-cache" --arch "$a" -o "$K/c" "$XSTORE/lib" "$F/nix" >/dev/null
	check_eq "cache-64k-initial-exec-tls-$a" "bigtls 8" "$(xfb fallback tlsprog "NIX_LD_LIBRARY_CACHE=$K/c")"
	# ... and without one: the last resort lends ld.so a library path,
	# which sizes the static TLS block as a direct start does.
	check_eq "last-resort-64k-initial-exec-tls-$a" "bigtls 8" "$(xfb fallback tlsprog)"

	# Every byte of ld.so ldshim changed: the cache path string, and the
	# debug hook's jump (none on riscv64), decoded on the host.
	if [ ! -x "$T/cache-diff-check" ]; then
		if ! echo "#include <capstone/capstone.h>" | ${CC:-gcc} -E -x c - >/dev/null 2>&1; then
			skip "ldso-bytes-$a" "libcapstone-dev is not installed"; return
		fi
		cc_prog "$T/cache-diff-check" "$ROOT/tests/cache/ldso-diff-check.c" -- -lcapstone
	fi
	xcc "$XT/ldso-diff" "$ROOT/tests/cache/ldso-diff.c"
	local dbg=--debug
	[ "$a" = riscv64 ] && dbg=
	out=$(xfb fallback "" "NIX_LD_LIBRARY_CACHE=$K/c" "$XT/ldso-diff" "$XROOT$XINTERP" | "$T/cache-diff-check" "$a" $dbg --cache "$K/c"); rc=$?
	if [ $rc = 0 ]; then pass "ldso-bytes-cache-mode-$a"; else fail "ldso-bytes-cache-mode-$a" "$(head -8 <<<"$out")"; fi
	out=$(xfb fallback "" "$XT/ldso-diff" "$XROOT$XINTERP" | "$T/cache-diff-check" "$a" $dbg); rc=$?
	if [ $rc = 0 ]; then pass "ldso-bytes-uncached-$a"; else fail "ldso-bytes-uncached-$a" "$(head -8 <<<"$out")"; fi
}
