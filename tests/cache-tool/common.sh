# Shared by tests/cache-tool/t-*.sh: source it after tests/lib.sh.
# Gives $TOOL (a private copy of build/ldshim-cache), $D (a scratch
# directory removed at exit), and helpers to build test libraries.
HERE=$ROOT/tests/cache-tool
TOOL=$BUILD/ldshim-cache
[ -x "$TOOL" ] || make -s -C "$ROOT" build/ldshim-cache >/dev/null ||
	{ fail build "make build/ldshim-cache failed"; exit 0; }
D=$(mktemp -d /tmp/cache-tool.XXXXXX)
CLEANUP=("$D")
trap 'rm -rf "${CLEANUP[@]}"' EXIT
# A private copy: other work in the checkout may clean build/ meanwhile.
cp "$TOOL" "$D/ldshim-cache"
TOOL=$D/ldshim-cache

# A cache path that fits in the 16 bytes Debian's ld.so has for its
# "/etc/ld.so.cache": /tmp/lc-XXXXXX, removed at exit.
short_cache() {
	local c; c=$(mktemp /tmp/lc-XXXXXX)
	CLEANUP+=("$c")
	echo "$c"
}

# mklib CC OUT [SONAME [FLAGS...]]: a tiny library, one function and no
# constructor, with SONAME (default: its file name). It calls strlen, so
# that it needs libc.so.6 (ldconfig marks only those libc6); no header is
# included, so that it also builds for an ABI without a libc (FLAGS
# -nostdlib).
mklib() {
	local cc=$1 out=$2 so=${3:-$(basename "$2")}
	shift $(($# < 3 ? $# : 3))
	local src=$D/lib-src.c
	[ -e "$src" ] || printf '__SIZE_TYPE__ strlen(const char *);\nint cache_test_len(const char *s) { return (int)strlen(s); }\n' > "$src"
	mkdir -p "$(dirname "$out")"
	"$cc" -shared -fPIC -o "$out" "$src" -Wl,-soname,"$so" "$@"
}

# rc_msg CASE RC MESSAGE CMD...: CMD exits RC and its stderr's first line
# is MESSAGE.
rc_msg() {
	local c=$1 rc=$2 want=$3; shift 3
	local err got
	err=$("$@" 2>&1 >/dev/null); got=$?
	if [ "$got" == "$rc" ] && [ "${err%%$'\n'*}" == "$want" ]; then pass "$c"; else
		fail "$c" "expected rc=$rc '$want', got rc=$got: $(head -3 <<<"$err")"; fi
}
