# Which ELF headers the real ld.so loads, skips or stops at, and
# ldshim-cache's verdict on the same files. Each variant is a library
# with bytes of its ELF header changed, placed first (d1) with a good
# library of the same name after it (d2). ld.so with
# LD_LIBRARY_PATH=d1:d2 loads d1's (usable), skips it for d2's (another
# class or machine) or fails (stops); ldshim-cache must put d1's in the
# cache, d2's, or refuse the name clash, respectively.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
cc_prog "$D/resolver" "$HERE/resolver.c"
mkdir -p "$D/d1" "$D/d2"
mklib gcc "$D/good.so"
# name: offset=byte,... (offsets into the ELF64 header)
VARIANTS="control:
class32:4=1
machine-aarch64:18=183
data-msb:5=2
ident-version0:6=0
osabi-gnu:7=3
osabi-gnu-abiv1:7=3,8=1
osabi-gnu-abiv3:7=3,8=3
osabi-gnu-abiv4:7=3,8=4
osabi-sysv-abiv1:8=1
osabi-freebsd:7=9
pad-nonzero:12=1
version2:20=2
version2-machine-aarch64:20=2,18=183
data-msb-machine-aarch64:5=2,18=183
type-exec:16=2
type-rel:16=1
phentsize0:54=0"
names=()
while IFS=: read -r name patch; do
	n=libhdr-$name.so
	names+=("$n")
	python3 - "$D/good.so" "$D/d1/$n" "$patch" <<'PY'
import sys
src, out, patch = sys.argv[1:]
b = bytearray(open(src, 'rb').read())
for p in filter(None, patch.split(',')):
    at, v = map(int, p.split('='))
    b[at] = v
open(out, 'wb').write(b)
PY
	cp "$D/good.so" "$D/d2/$n"
done <<<"$VARIANTS"

by_ldso=$(env -i LD_LIBRARY_PATH="$D/d1:$D/d2" "$REAL_LDSO" --inhibit-cache "$D/resolver" "${names[@]}" 2>/dev/null)
"$TOOL" -o "$D/c" "$D/d1" "$D/d2" 2>"$D/gen.err"
for n in "${names[@]}"; do
	got=$(grep -F "$n =>" <<<"$by_ldso")
	case $got in
	*"=> $D/d1/$n") want=usable ;;
	*"=> $D/d2/$n") want=skip ;;
	*"=> error") want=stop ;;
	*) fail "header $(basename "${n#libhdr-}" .so)" "resolver said: $got"; continue ;;
	esac
	if grep -qF "name clash: $D/d1/$n " "$D/gen.err"; then mine=stop
	else
		# The cache is not written when anything clashes: ask for the
		# name alone.
		mkdir -p "$D/one1" "$D/one2"; rm -f "$D"/one1/* "$D"/one2/*
		cp "$D/d1/$n" "$D/one1/"; cp "$D/d2/$n" "$D/one2/"
		"$TOOL" -o "$D/c1" "$D/one1" "$D/one2" 2>/dev/null
		case $("$TOOL" --print "$D/c1" | grep -F "$n (") in
		*"=> $D/one1/$n") mine=usable ;;
		*"=> $D/one2/$n") mine=skip ;;
		*) mine="no entry" ;;
		esac
	fi
	check_eq "header $(basename "${n#libhdr-}" .so) (ld.so: $want)" "$want" "$mine"
done
