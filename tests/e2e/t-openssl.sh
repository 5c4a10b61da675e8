# The openssl CLI (Debian's) with a dlopen()ed plugin: the legacy
# provider, a module loaded by path after start, whose own libcrypto
# dependency is already loaded; MD4 exists only there. The module
# directory (hidden with /usr/lib/x86_64-linux-gnu) is a store copy named
# by OPENSSL_MODULES.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/e2e.sh"
is_root || { skip openssl "needs root for the simulated NixOS"; exit 0; }
ossl=$(command -v openssl) || { skip openssl "no openssl on PATH: openssl (TEST_PKGS) did not install"; exit 0; }
mods=$("$ossl" version -m | sed -n 's/^MODULESDIR: "\(.*\)"/\1/p')
[ -e "$mods/legacy.so" ] || { skip openssl "no legacy provider at $mods/legacy.so"; exit 0; }
e2e_init
d=$(e2e_store openssl "$ossl" "$mods/legacy.so")
pm=$E/store/openssl/ossl-modules; mkdir -p "$pm"; cp -L "$mods/legacy.so" "$pm/"
version openssl "$("$ossl" version)"
o=$E/openssl; rm -rf "$o"; mkdir -p "$o"
printf 'abc' > "$o/abc"
user_env "$d" "OPENSSL_MODULES=$pm"

run_sim "$o/md4" "$ossl" dgst -md4 -provider legacy -provider default -r "$o/abc"; rc=$?
# MD4("abc"), RFC 1320.
ran openssl-legacy-plugin-md4 "$o/md4" $rc && check_eq openssl-legacy-plugin-md4 \
	"a448017aaf21d8525fc10ae87aa6729d *$o/abc" "$(cat "$o/md4")"
run_sim "$o/list" "$ossl" list -providers -provider legacy; rc=$?
ran openssl-provider-listed "$o/list" $rc && if grep -q 'status: active' "$o/list" && grep -qi legacy "$o/list"
then pass openssl-provider-listed
else fail openssl-provider-listed "expected an active legacy provider, got: $(tr '\n' '|' < "$o/list")"; fi
run_sim "$o/sha" "$ossl" dgst -sha256 -r "$o/abc"; rc=$?
ran openssl-sha256 "$o/sha" $rc && check_eq openssl-sha256 \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad *$o/abc" "$(cat "$o/sha")"
