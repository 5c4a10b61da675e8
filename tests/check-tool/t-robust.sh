# ldshim-check on bad input: garbage, truncated and mutated ELF files are
# reported, never crash it (checked under AddressSanitizer and UBSan);
# --json is valid JSON; usage and I/O errors exit 2.
. "$(dirname "$0")/../lib.sh"
CHECK=$BUILD/ldshim-check
[ -x "$CHECK" ] || make -s -C "$ROOT" build/ldshim-check >/dev/null || { fail build "make build/ldshim-check failed"; exit 0; }
# A private directory and copy of the tool: other work in the checkout
# may clean build/ meanwhile.
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT
cp "$CHECK" "$D/ldshim-check"; CHECK=$D/ldshim-check
mkdir -p "$D"/{src,lib,fuzz,fuzzlib}
export NIX_LD=$REAL_LDSO NIX_LD_LIBRARY_PATH=/lib/x86_64-linux-gnu
unset LD_LIBRARY_PATH NIX_LD_MODE

# rc_verdict CASE RC VERDICT CMD...
rc_verdict() {
	local c=$1 rc=$2 v=$3; shift 3
	local out got; out=$("$@" 2>&1); got=$?
	if [ "$got" == "$rc" ] && [ "${out%%$'\n'*}" == "$v" ]; then pass "$c"; else
		fail "$c" "expected rc=$rc '$v', got rc=$got: $(head -3 <<<"$out")"; fi
}

head -c 3000 /dev/urandom > "$D/garbage"
head -c 100 /bin/true > "$D/trunc-header"	# inside the program headers
head -c 2000 /bin/true > "$D/trunc-dynamic"	# program headers fine, the rest cut
printf '\177ELF' > "$D/magic-only"
: > "$D/empty"
rc_verdict garbage 1 "$D/garbage: not an ELF file" "$CHECK" "$D/garbage"
rc_verdict empty 1 "$D/empty: not an ELF file" "$CHECK" "$D/empty"
rc_verdict magic-only 1 "$D/magic-only: not an ELF file" "$CHECK" "$D/magic-only"
rc_verdict truncated-header 1 "$D/trunc-header: bad ELF file: truncated program headers" "$CHECK" "$D/trunc-header"
rc_verdict truncated-dynamic 1 "$D/trunc-dynamic: bad ELF file: truncated dynamic section" "$CHECK" "$D/trunc-dynamic"
rc_verdict missing-file 2 "$D/nope: error: No such file or directory" "$CHECK" "$D/nope"
rc_verdict directory 2 "$D: error: is a directory" "$CHECK" "$D"
"$CHECK" >/dev/null 2>&1; check_eq usage-no-file 2 $?
"$CHECK" --bogus /bin/true >/dev/null 2>&1; check_eq usage-bad-option 2 $?
"$CHECK" --mode sideways /bin/true >/dev/null 2>&1; check_eq usage-bad-mode 2 $?
# A library that isn't ELF, found by the search, stops ld.so there.
cat > "$D/src/p.c" <<'EOF'
int f(void);
int main(void) { return f(); }
EOF
echo 'int f(void) { return 0; }' > "$D/src/f.c"
gcc -shared -fPIC -o "$D/lib/libf.so" "$D/src/f.c" -Wl,-soname,libf.so
gcc -o "$D/p" "$D/src/p.c" -L"$D/lib" -lf
mkdir -p "$D/badlib"; echo "INPUT(-lc)" > "$D/badlib/libf.so"
rc_verdict unusable-library 1 "$D/p: unusable library: $D/badlib/libf.so: not an ELF file" \
	"$CHECK" --library-path "$D/badlib:$D/lib:/lib/x86_64-linux-gnu" "$D/p"

# --json: one valid document, for files and for a tree with its summary.
for args in "/bin/ls $D/garbage $D/p" "-r $D/lib /bin/true"; do
	# shellcheck disable=SC2086
	if "$CHECK" --json $args | python3 -m json.tool >/dev/null; then pass "json ${args%% *}"; else
		fail "json ${args%% *}" "python3 -m json.tool rejected: $("$CHECK" --json $args | head -c 300)"; fi
done
got=$("$CHECK" --json "$D/p" | python3 -c 'import json,sys; d=json.load(sys.stdin)["files"][0]; print(d["status"], [(l["name"], l["found"]) for l in d["libraries"]][0])')
check_eq json-fields "problems ('libf.so', False)" "$got"

# Fuzz: mutations of a program and of a versioned library, checked by a
# sanitizer build, as files named, in a tree, and as a library found by
# the search.
ASAN=$D/ldshim-check-asan
if make -s -C "$ROOT" build/ldshim-check-asan >"$D/asan-build.log" 2>&1 &&
	cp "$ROOT/build/ldshim-check-asan" "$ASAN" 2>>"$D/asan-build.log"; then
	printf 'V_1 { global: f; local: *; };\nV_2 { global: g; } V_1;\n' > "$D/src/v.map"
	printf 'int f(void) { return 0; }\nint g(void) { return 1; }\n' > "$D/src/fg.c"
	gcc -shared -fPIC -o "$D/lib/libfg.so" "$D/src/fg.c" -Wl,-soname,libf.so -Wl,--version-script="$D/src/v.map"
	python3 - "$D" "/bin/true" "$D/p" "$D/lib/libfg.so" <<'EOF'
import os, random, sys
d = sys.argv[1]
rnd = random.Random(10)
seeds = [open(p, 'rb').read() for p in sys.argv[2:]]
for i in range(600):
    b = bytearray(rnd.choice(seeds))
    kind = i % 4
    if kind == 0:                     # truncate anywhere
        b = b[:rnd.randrange(len(b))]
    else:                             # overwrite bytes, mostly in the headers and tables
        for _ in range(rnd.randrange(1, 12)):
            lim = 0x1000 if rnd.random() < 0.8 else len(b)
            at = rnd.randrange(min(lim, len(b)))
            if kind == 1:
                b[at] = rnd.randrange(256)
            else:
                w = rnd.choice([b'\xff' * 8, b'\x00' * 8, (0x7fffffff).to_bytes(4, 'little'),
                                rnd.randrange(1 << 64).to_bytes(8, 'little')])
                b[at:at + len(w)] = w
    open(os.path.join(d, 'fuzz', 'f%03d' % i), 'wb').write(b)
    if i < 120:
        os.makedirs(os.path.join(d, 'fuzzlib', '%03d' % i))
        open(os.path.join(d, 'fuzzlib', '%03d' % i, 'libf.so'), 'wb').write(b)
EOF
	bad=0
	"$ASAN" -v -r "$D/fuzz" > "$D/fuzz.out" 2> "$D/fuzz.err"; rc=$?
	[ "$rc" -le 2 ] && ! grep -q 'Sanitizer\|runtime error' "$D/fuzz.err" || { bad=1; fail fuzz-tree "rc=$rc: $(grep -m3 'ERROR\|runtime error' "$D/fuzz.err")"; }
	"$ASAN" --json -v -r "$D/fuzz" 2>>"$D/fuzz.err" | python3 -m json.tool >/dev/null || { bad=1; fail fuzz-json "invalid JSON for the fuzzed tree"; }
	for f in "$D"/fuzz/f0[0-9][0-9]; do
		"$ASAN" "$f" >/dev/null 2>"$D/one.err"; rc=$?
		if [ "$rc" -gt 2 ] || grep -q 'Sanitizer\|runtime error' "$D/one.err"; then
			bad=1; fail "fuzz-file $f" "rc=$rc: $(grep -m3 'ERROR\|runtime error' "$D/one.err")"; break; fi
	done
	for l in "$D"/fuzzlib/*; do
		"$ASAN" -v --library-path "$l:$D/lib:/lib/x86_64-linux-gnu" "$D/p" >/dev/null 2>"$D/one.err"; rc=$?
		if [ "$rc" -gt 2 ] || grep -q 'Sanitizer\|runtime error' "$D/one.err"; then
			bad=1; fail "fuzz-library $l" "rc=$rc: $(grep -m3 'ERROR\|runtime error' "$D/one.err")"; break; fi
	done
	[ "$bad" = 0 ] && pass fuzz-no-crash
else
	skip fuzz "no sanitizer build: $(head -2 "$D/asan-build.log")"
fi
