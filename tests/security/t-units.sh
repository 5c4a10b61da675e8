# Hosted unit tests of shim/env.c, shim/ldso.c (elf_check) and
# shim/stack.c under AddressSanitizer and UndefinedBehaviorSanitizer.
. "$(dirname "$0")/../lib.sh"
u=$T/security-units
if ! tests/security/build-hosted "$u" tests/security/units.c "${CC:-gcc}" -O1 \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-DDEFAULT_NIX_LD='"/default/ld.so"' -DDEFAULT_NIX_LD_LIBRARY_PATH='"/default/lib"'; then
	fail units-build "the hosted unit tests did not build"
	exit 0
fi
out=$(ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 "$u" 2>&1); rc=$?
printf '%s\n' "$out"
if [ "$rc" != 0 ] && ! grep -q '^FAIL ' <<<"$out"; then
	fail units "exited $rc (a sanitizer report above?)"
fi
