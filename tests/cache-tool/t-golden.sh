# The cache is the same file, byte for byte, as the one the writer made
# before the shim and ldshim-cache shared one implementation of it
# (issue 23): a fixed set of directories (golden.py tree: versioned
# names, shadowing, digit runs, bytes above 0x7f, links, files ld.so
# skips or stops at) for each target, hashed with only the fields that
# differ from run to run taken out (each directory's inode and mtime,
# the generator's version). The hashes were taken from ldshim-cache at
# commit fc2b041. Also the -v report, sorted (readdir's order is the
# file system's).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"
# target, what the directories are recorded as, the hashes of the cache and of -v's report
while read -r arch to want want_v; do
	t=$D/t-$arch-${to//\//_}
	mkdir -p "$t"
	python3 "$HERE/golden.py" tree "$t" "$arch"
	case $to in /nix/store/*) c=golden-$arch-store ;; *) c=golden-$arch-other ;; esac
	out=$("$TOOL" -v --arch "$arch" --map "$t=$to" -o "$D/$c" \
		"$t/d0" "$t/d1" "$t/d2/" "$t/d3" "$t/d4" "$t/d5" 2>&1) || { fail "$c" "ldshim-cache failed: $out"; continue; }
	got=$(python3 "$HERE/golden.py" norm "$D/$c" 2>&1)
	check_eq "$c" "$want" "$got"
	got_v=$(sed "s|$t|T|g; s|$D/$c|OUT|" <<<"$out" | LC_ALL=C sort | sha256sum | cut -d' ' -f1)
	check_eq "$c-verbose" "$want_v" "$got_v"
done <<'EOF2'
x86_64 /nix/store/00000000000000000000000000000000-golden 885f78449e2c9db6e23b99197a0291d102551488bece43c12d7537e37d43ac04 5b4cc8d88e1681d6273916f17c58075ba0ddf71c538d770be7f9189f92d31310
i386 /nix/store/00000000000000000000000000000000-golden 0beb260d90de7264473b66d864001377e30e4fa2529257734c92fd0c6a30d482 b7841caad3e72a585eb9d68730c78c4f6f68380c997809b3dc2eb7da70d59cad
aarch64 /nix/store/00000000000000000000000000000000-golden 56228016bb1fd4c09c91d94fb310b07a39238e82b0c54661c5145109d691e895 240ff74ca2533dd8be2bc64cb8c3e171e92a5fbb275689c3cdd82448ceee72e4
riscv64 /nix/store/00000000000000000000000000000000-golden 6296ae246f0a6eefa55e88be1d90d394924ff592dec1abed980dfd0e9aec2240 67ff1ff6af888d6bd2dc9756c4450dd76b63705b5d3de3644288359d02824807
x86_64 /opt/golden ee3982c733331ff943c915c4e9b9c1b714c6d871fb5216bda5a0a6bcbb6ee327 8decc4cae7f30b55f0e587639ed8acc1b46bfe2fd2bd2fa5c0f8883ea2751590
EOF2
