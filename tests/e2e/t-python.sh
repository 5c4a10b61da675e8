# Python 3 (a foreign program) importing ssl, sqlite3 and ctypes, whose
# extension modules and their libraries (libssl, libcrypto, libsqlite3,
# libffi, libz) are dlopen()ed after start from the store directory.
# Two interpreters: Debian's /usr/bin/python3.11, and pyenv's 3.11.7 built
# with --enable-shared, which finds its own libpython by RUNPATH; that one
# also runs with Debian's (older) libpython3.11 in its store, as a NixOS
# library list holding another Python would (DESIGN: search order).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/e2e.sh"
is_root || { skip python "needs root for the simulated NixOS"; exit 0; }
e2e_init

# tree NAME PYTHON STORE-DIR: run tree.py, check what it printed.
tree() {
	local name=$1 py=$2 d=$3 o=$E/$1 v rc
	rm -rf "$o"; mkdir -p "$o"
	user_env "$d" "NIXCHILD_LOG=$o/children"
	v=$("$py" -c 'import sys; print(sys.version.split()[0])')
	run_sim "$o/tree" "$py" "$SRC/tree.py" "$NIXCHILD" "$o"; rc=$?
	if ran "$name-tree" "$o/tree" $rc; then
		version "$name" "$(head -1 "$o/tree") ($py), $(sed -n 's/^ssl: \(OpenSSL.*\)/\1/p' "$o/tree")"
		check_eq "$name-tree" "python $v
ssl: verify True
sqlite3: sum 45
ctypes: libz ok
nixchild: exit 0
env: exit 0" "$(grep -v '^ssl: OpenSSL' "$o/tree")"
	fi
	check_env "$name-own-env" "$o/self"
	check_env "$name-foreign-child-env" "$o/env-child"
	check_children "$name-nixos-child-own-lib" "$o/children" 1
}

py=/usr/bin/python3.11
if [ -x "$py" ]; then
	tree python-debian "$py" "$(e2e_store python-debian "$py" /usr/lib/python3.11/lib-dynload/*.so)"
else skip python-debian "$py missing: python3.11 (TEST_PKGS) did not install"; fi

pyenv=/root/.pyenv/versions/3.11.7
if [ ! -x "$pyenv/bin/python3.11" ]; then
	skip python-pyenv "no $pyenv: pyenv's builds exist only on machines whose image has them; Debian packages no Python with its own RUNPATH"
else
	py=$pyenv/bin/python3.11
	version python-pyenv-runpath "$(readelf -d "$py" | sed -n 's/.*(RUNPATH) *//p')"
	tree python-pyenv "$py" "$(e2e_store python-pyenv "$py" "$pyenv"/lib/python3.11/lib-dynload/*.so)"
	# The store also holds the system's libpython3.11.so.1.0 (3.11.2). The
	# interpreter must keep its own: searched by RUNPATH, before the
	# injected path, as the system directories are on a distribution.
	sysl=$(ls /usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0 2>/dev/null)
	d=$(e2e_store python-pyenv-clash "$py" "$pyenv"/lib/python3.11/lib-dynload/*.so)
	if [ -z "$sysl" ]; then
		d=
		skip python-pyenv-clash "no /usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0: libpython3.11 (TEST_PKGS) did not install"
	else
		cp -L "$sysl" "$d/"
	fi
	# clash MODE: run it with NIX_LD_MODE=MODE (none: the default); "3.11.7"
	# when the interpreter kept its own libpython, else what went wrong.
	clash() {
		local o=$E/python-pyenv-clash-${1:-default} rc
		rm -rf "$o"; mkdir -p "$o"
		E2E_MODE=$1 user_env "$d" "NIXCHILD_LOG=$o/children"
		run_sim "$o/tree" "$py" "$SRC/tree.py" "$NIXCHILD" "$o"; rc=$?
		if [ $rc = 0 ] && [ "$(head -1 "$o/tree")" = "python 3.11.7" ]; then echo 3.11.7
		else echo "rc=$rc: $(head -1 "$o/tree") $(tail -1 "$o/tree.err")"; fi
	}
	if [ -n "$d" ] && ! grep -qa NIX_LD_MODE "$LOADER"; then
		skip python-pyenv-clash "this ldshim has no NIX_LD_MODE (issue 12): the injected path overrides the interpreter's RUNPATH; $(clash)"
	elif [ -n "$d" ]; then
		fb=$(clash fallback)
		[ "$fb" = 3.11.7 ] && pass python-pyenv-clash-fallback ||
			fail python-pyenv-clash-fallback "expected the interpreter's own libpython (python 3.11.7, exit 0), got $fb"
		# nix-ld's order, kept as a setting: the injected path comes before
		# RUNPATH, the system's libpython wins and the interpreter breaks.
		ov=$(clash override)
		case $ov in *"undefined symbol"*) pass python-pyenv-clash-override-breaks ;;
		*) fail python-pyenv-clash-override-breaks "expected the system libpython to replace the interpreter's own (undefined symbol), got $ov" ;; esac
		# The mode the whole suite runs in (E2E_MODE; by default, none set):
		# override is the case above.
		df=$([ "${E2E_MODE:-}" = override ] || clash "${E2E_MODE:-}")
		if [ "${E2E_MODE:-}" = override ]; then :
		elif [ "$df" = 3.11.7 ]; then pass python-pyenv-clash-default-mode
		else fail python-pyenv-clash-default-mode "expected the interpreter's own libpython, got $df"; fi
	fi
fi
