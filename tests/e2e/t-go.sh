# A Go program built with cgo (go build, Debian's golang-go): dynamically
# linked, so it starts through ldshim; the Go runtime takes argv, envp and
# auxv from the stack at _start, libc's getenv from environ: both must be
# the user's environment. It runs a NixOS child and the foreign env.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/e2e.sh"
is_root || { skip go "needs root for the simulated NixOS"; exit 0; }
command -v go >/dev/null || { skip go "no go on PATH: golang-go (TEST_PKGS) did not install"; exit 0; }
e2e_init
o=$E/go; rm -rf "$o"; mkdir -p "$o"
bin=$E/gotree
if [ ! -x "$bin" ] || [ "$SRC/gotree/main.go" -nt "$bin" ]; then
	(cd "$SRC/gotree" && GO111MODULE=off GOCACHE=$E/gocache CGO_ENABLED=1 go build -o "$bin" .) \
		> "$o/build" 2>&1 || { fail go-build "go build failed: $(head -c 600 "$o/build")"; exit 0; }
fi
version go "$(go version) ($(readelf -p .interp "$bin" | sed -n 's/.*\] *//p'))"
d=$(e2e_store go "$bin")
user_env "$d" "NIXCHILD_LOG=$o/children"
run_sim "$o/tree" "$bin" "$NIXCHILD" "$o"; rc=$?
ran go-tree "$o/tree" $rc && check_eq go-tree "cgo: zlib true, C getenv(LD_LIBRARY_PATH) set: false
nixchild: <nil>
env: <nil>" "$(cat "$o/tree")"
check_env go-own-env "$o/self"
check_env go-foreign-child-env "$o/env-child"
check_children go-nixos-child-own-lib "$o/children" 1
