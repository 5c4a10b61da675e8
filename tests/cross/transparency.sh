# The differential transparency suite (tests/transparency/cases.sh, the
# same cases as x86_64) for one architecture under qemu-user: the x86_64
# probe, built for the arch, runs in two guest roots with the same argv
# and environment: root-direct, whose interpreter path holds the real
# ld.so (libc in /lib), and root, where it holds ldshim. Same program
# file, same path, so even AT_EXECFN is the same.
#
# What qemu-user cannot show, each reported as a skip with the reason:
# - environments with an entry without '=' or a name twice: qemu builds
#   the guest's environment as a list keyed by name (util/envlist.c),
#   dropping the first and keeping one of the second, so the guest
#   cannot be given them.
# - /proc/self/environ and the kernel's argument/environment areas
#   (/proc/self/stat fields 48-51) belong to the host qemu process, not
#   the guest's stack image.
# - /proc/self/auxv: qemu builds it from the guest's stack at the place
#   it put auxv, not from a copy of its own; compared as it is.
# - On i386, qemu's /proc/self/maps shows what its own ELF loader mapped
#   (the program, the interpreter) without 'x', and what the guest mmaps
#   executable too, until an mprotect makes it executable again. So
#   ld.so's text reads as not executable in the direct run and through
#   ldshim alike (which leaves ld.so's code unpatched without a
#   debugger): entry-fini-executable is checked on its own, "yes"
#   elsewhere, as in the direct run on i386.
# Called by cross_suite after cross_init/cross_build/xstore_init.
cross_transparency() {
	local a=$XARCH src=$ROOT/tests/transparency
	local XP=$XT/tprobe
	if ! CC=$XCC cc_prog "$XP" "$src/probe.c" "$src/entry-$a.S" -- -Wl,-e,probe_entry \
	        -DNIX_SYSTEM="\"$XSYS\"" -DPROBE_CHILD_HELPER='"/qemu-exec"' 2>"$XT.probe.log"; then
		fail "transparency-build-probe-$a" "$(head -5 "$XT.probe.log")"; return
	fi
	local dflt=$XT/default
	if ! make -s -C "$ROOT" ARCH="$a" B="$dflt" DEFAULT_NIX_LD="$XSTORE_LDSO" \
	        DEFAULT_NIX_LD_LIBRARY_PATH="$XSTORE/lib" >"$XT.make-default.log" 2>&1; then
		fail "transparency-build-default-$a" "make with DEFAULT_NIX_LD failed: $(tail -3 "$XT.make-default.log")"; return
	fi
	# The library cache, and a shim whose defaults name the store and it.
	local STORE_CACHE= SHIM_CACHE_DEFAULT=$XT/root-cache cdflt=$XT/cache-default
	# (a build of its own each run: make does not know that the cache's
	# name, compiled in, changed)
	rm -rf "$cdflt"
	if "$BUILD/ldshim-cache" --arch "$a" -o "$XK/t" "$XSTORE/lib" >"$XT.tcache.log" 2>&1 &&
	   make -s -C "$ROOT" ARCH="$a" B="$cdflt" DEFAULT_NIX_LD="$XSTORE_LDSO" \
	        DEFAULT_NIX_LD_LIBRARY_PATH="$XSTORE/lib" DEFAULT_NIX_LD_LIBRARY_CACHE="$XK/t" \
	        >>"$XT.tcache.log" 2>&1; then
		STORE_CACHE=$XK/t
	else
		fail "transparency-build-cache-default-$a" "$(tail -3 "$XT.tcache.log")"
	fi
	local saved=$XROOT
	XROOT=$XT/root-direct; xroot_init direct
	XROOT=$XT/root-default; xroot_init "$dflt/ldshim"
	[ -z "$STORE_CACHE" ] || { XROOT=$XT/root-cache; xroot_init "$cdflt/ldshim"; }
	XROOT=$XT/root; xroot_init
	XROOT=$saved

	local W=$XT/transparency
	rm -rf "$W"; mkdir -p "$W"
	local AUDIT_NOP=$XT/audit-nop.so
	if ! CC=$XCC cc_prog "$AUDIT_NOP" "$ROOT/tests/debug/audit-nop.c" -- -shared -fPIC 2>"$XT.audit-nop.log"; then
		fail "transparency-build-audit-nop-$a" "$(head -5 "$XT.audit-nop.log")"; return
	fi
	local STORE_LDSO=$XSTORE_LDSO STORE_LIB=$XSTORE/lib NIX_SYS=$XSYS
	local SHIM=$XT/root SHIM_DEFAULT=$XT/root-default
	check() { xcheck "$@"; }
	. "$src/cases.sh"
	unset -f check

	skip "proc-self-environ-$a" "under qemu-user /proc/self/environ and the argument/environment areas of /proc/self/stat are the host qemu process's, not the guest's stack image, so they cannot show what ldshim did; the x86_64 suite measures them"
}

# The probe's lines qemu-user cannot give a meaning (see above), and the
# lines checked on their own: the added-slot views as on x86_64, and the
# frame pointer (ldshim clears it; riscv64's ld.so jumps with s0 = the
# entry address, so the direct run may not), rtld_fini's mapping (i386).
XUNSEEN='^(proc-environ|argv-strings-in-arg-area|envp-strings-in-env-area|AT_RANDOM-below-arg-strings|AT_EXECFN-above-env-strings):'
XSEPARATE='^(environ-at-stack|environ-auxv|entry-fp-zero|entry-fini-executable):'

# xrun_probe OUT ROOT: the probe in that guest root with argv A and
# environment E; stderr and a non-zero status in OUT.err.
xrun_probe() {
	local rc
	XROOT=$2 xrun "${E[@]}" -- "$XT/tprobe" "${A[@]}" >"$1" 2>"$1.err"
	rc=$?
	[ "$rc" = 0 ] || echo "exit status $rc" >>"$1.err"
	return $rc
}

# xcheck NAME ROOT SLOT: one case of cases.sh (its check), for this arch.
xcheck() {
	local name=$1-$XARCH root=$2 slot=$3 d="$W/$1.direct" s="$W/$1.shim" e kept=()
	local -A seen=()
	for e in "${E[@]}"; do
		[[ $e == *=* ]] || continue
		if [ -n "${seen[k${e%%=*}]+x}" ]; then
			skip "$name" "qemu-user keeps one environment entry per name (here ${e%%=*}), so the guest cannot be given this environment; the x86_64 suite runs it"; return
		fi
		seen[k${e%%=*}]=1
		kept+=("$e")
	done
	if [ ${#kept[@]} != ${#E[@]} ]; then
		# Run what qemu can give, as a case of its own.
		skip "$name" "qemu-user drops environment entries without '=' ($((${#E[@]} - ${#kept[@]})) here), so the guest cannot be given this environment (the x86_64 suite runs it); the entries with '=' run as $1-with-equals-$XARCH"
		local E=("${kept[@]}")
		name=$1-with-equals-$XARCH
		# Without the entries ldshim could lend, it has to add a slot.
		local v=" ${E[*]}"
		[ "$slot" = none ] || case $v in *" LD_LIBRARY_PATH="*|*" NIX_LD"*=*) ;; *) slot=add ;; esac
	fi
	if ! xrun_probe "$d" "$XT/root-direct"; then
		fail "$name" "the direct run failed: $(head -c 300 "$d.err")"; return
	fi
	if ! xrun_probe "$s" "$root"; then
		fail "$name" "expected the probe to run through ldshim, got: $(head -c 300 "$s.err")"; return
	fi
	[ -s "$s.err" ] && fail "$name-stderr" "expected no stderr through ldshim, got: $(head -c 300 "$s.err")"
	local dc sc
	dc=$(grep -Ev "$XUNSEEN|$XSEPARATE" "$d")
	sc=$(grep -Ev "$XUNSEEN|$XSEPARATE" "$s")
	if [ "$dc" == "$sc" ]; then pass "$name"; else
		fail "$name" "every view must be as in the direct run (- direct, + ldshim):"
		diff <(printf '%s\n' "$dc") <(printf '%s\n' "$sc") | sed -n '1,30s/^/    /p'
	fi
	grep -q '^child-environ: same' "$s" || fail "$name-child" "expected the child to get main's envp, got: $(grep -A3 '^child-environ' "$s" | head -4)"
	if [ "$slot" = none ]; then
		# Nothing injected: ld.so itself enters the program, with the
		# frame pointer it leaves (riscv64's ld.so does not clear s0).
		check_eq "$name-entry-fp-as-direct" "$(grep '^entry-fp-zero:' "$d")" "$(grep '^entry-fp-zero:' "$s")"
	else
		check_eq "$name-entry-fp" "entry-fp-zero: yes" "$(grep '^entry-fp-zero:' "$s")"
	fi
	if [ "$a" = i386 ]; then
		check_eq "$name-entry-fini-executable-as-direct" "$(grep '^entry-fini-executable:' "$d")" "$(grep '^entry-fini-executable:' "$s")"
	else
		check_eq "$name-entry-fini-executable" "entry-fini-executable: yes" "$(grep '^entry-fini-executable:' "$s")"
	fi
	local want
	want=$(grep -E '^(environ-at-stack|environ-auxv):' "$d")
	if [ "$slot" = add ]; then
		local n
		n=$(sed -n 's/^stack-auxv: \([0-9]*\) entries$/\1/p' "$d")
		want="environ-at-stack: no
environ-auxv: 0 entries (entry stack: $n), differing from getauxval: none"
		name=$name-documented-added-slot
	fi
	check_eq "$name-environ-view" "$want" "$(grep -E '^(environ-at-stack|environ-auxv):' "$s")"
}
