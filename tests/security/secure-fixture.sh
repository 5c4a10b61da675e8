# The fixture of the AT_SECURE tests (tests/security/t-secure.sh,
# tests/config/t-secure-config.sh), sourced after lib.sh:
#   secure_fixture NAME [DIR...]
# makes $W, a directory on a filesystem where setuid works, that uid
# 65534 can reach (removed on exit), with DIRs created in it, and in it:
#   lib/     the real ld.so, libc and libwho.so.1 "good"
#   evil/    a libwho.so.1 and an ld.so that leave the marker $M
#   out/     where the marker would go (world-writable)
#   secprog  linked with libwho, RUNPATH lib/
# plus $T/asuser, $P (the helper programs' sources). Without such a
# directory it reports a skip named NAME and exits.
P=tests/security/progs

secure_fixture() {
	local name=$1 base d; shift
	cc_prog "$T/asuser" $P/asuser.c -- -static
	W=
	for base in "$T" /tmp /var/tmp /dev/shm; do
		case ,$(findmnt -no OPTIONS --target "$base" 2>/dev/null), in
		*,nosuid,*|,,) continue ;;
		esac
		nobody_reaches "$base" || continue	# its programs run as nobody
		W=$(mktemp -d "$base/ldshim-$name.XXXXXX") && break
	done
	[ -n "$W" ] || { skip "$name" "no directory that uid 65534 can reach on a filesystem without nosuid among $T /tmp /var/tmp /dev/shm"; exit 0; }
	trap 'rm -rf "$W"' EXIT
	chmod 755 "$W"
	mkdir -m 755 "$W/lib" "$W/evil"
	for d in "$@"; do mkdir -m 755 "$W/$d"; done
	mkdir -m 1777 "$W/out"
	M=$W/out/marker
	cp -L "$REAL_LDSO" "$W/lib/ld-linux-x86-64.so.2"
	cp -L "$(ldd /bin/sh | awk '/libc.so.6/{print $3}')" "$W/lib/"
	cc_prog "$W/lib/libwho.so.1" $P/who.c -- -shared -fPIC -Wl,-soname,libwho.so.1 -DWHO='"good"'
	cc_prog "$W/evil/libwho.so.1" $P/who.c -- -shared -fPIC -Wl,-soname,libwho.so.1 -DMARKER="\"$M\""
	cc_prog "$W/evil/ld.so" $P/evil-ldso.c -- -static-pie -nostdlib -fno-stack-protector \
		-fcf-protection=none -DMARKER="\"$M\""
	cc_prog "$W/secprog" $P/secprog.c -- -L"$W/lib" -l:libwho.so.1 -Wl,--enable-new-dtags,-rpath,"$W/lib"
}
