# Shared by the e2e scripts: source after tests/lib.sh.
#
# A third-party program runs in the simulated NixOS with the user
# environment USER_ENV: its libraries only in its own store directory
# (build/tests/e2e/store/<name>/lib, assembled from the host's libraries
# like the NixOS module's `libraries` list) on NIX_LD_LIBRARY_PATH, after
# a poisoned libgreet.so.1. Where it can start a child, the child is
# nixchild: a NixOS program that finds the good libgreet.so.1 by its own
# RUNPATH, and reports which one it got and its environment.
E=$T/e2e
SRC=$ROOT/tests/e2e
POISON=$E/poison                # on the injected path: libgreet.so.1 that aborts
NIXCHILD=$E/nixos/nixchild      # a NixOS program (interpreter: the store's ld.so)
LOADER=${E2E_LOADER:-$LDSHIM}   # what sits at /lib64/ld-linux-x86-64.so.2
mkdir -p "$E/home"

# version NAME TEXT: one line for the notes (which build of what ran).
version() { echo "VERSION $1: $2"; }

# e2e_store NAME FILE...: $E/store/NAME/lib with the libraries FILE...
# need (host ldd), plus libc: those from the system directories the
# simulated NixOS hides (not glibc's own with the Nix glibc: its ld.so
# takes them from its own directory, as on NixOS). A program's own libraries (the JVM's under
# /usr/lib/jvm, a pyenv Python's libpython) stay where they are and are
# found by its own RPATH/RUNPATH. Prints the directory.
e2e_store() {
	local d=$E/store/$1/lib f lib; shift
	mkdir -p "$d"
	for f in /bin/sh "$@"; do
		ldd "$f" 2>/dev/null | awk '/=> \//{print $3}' |
			grep -E '^(/usr)?/lib(64)?/(x86_64-linux-gnu/)?[^/]+$|^/usr/local/lib/' | while read -r lib; do
			is_glibc_lib "$(basename "$lib")" && continue
			[ -e "$d/$(basename "$lib")" ] || cp -L "$lib" "$d/"
		done
	done
	echo "$d"
}
# e2e_store_lib NAME LIB...: add these library files themselves too.
e2e_store_lib() {
	local d=$E/store/$1/lib; shift
	mkdir -p "$d"
	cp -L "$@" "$d/"
}

# nixos_prog NEW OLD RPATH: a copy of OLD that is a NixOS program: the
# store's ld.so as interpreter, its own libraries by RUNPATH.
nixos_prog() {
	[ "$1" -nt "$2" ] && return 0
	mkdir -p "$(dirname "$1")"
	cp "$2" "$1.tmp"
	patchelf --set-interpreter "$STORE_LDSO" --set-rpath "$3" "$1.tmp"
	mv "$1.tmp" "$1"
}

# e2e_init: the store's ld.so, the poisoned library and nixchild.
e2e_init() {
	store_init
	say_start "a user's NIX_LD_LIBRARY_PATH, no XDG_RUNTIME_DIR" "${NIX_ENV[@]}"
	local so=(-shared -fPIC -Wl,-soname,libgreet.so.1)
	local good; good=$(e2e_store nixchild)
	cc_prog "$good/libgreet.so.1" "$ROOT/tests/libs/greet.c" -- "${so[@]}" -DGREET_WHO='"good"'
	cc_prog "$POISON/libgreet.so.1" "$ROOT/tests/libs/poison.c" -- "${so[@]}"
	cc_prog "$E/nixchild.host" "$SRC/nixchild.c" -- -L"$good" -l:libgreet.so.1
	nixos_prog "$NIXCHILD" "$E/nixchild.host" "$good"
}

# user_env STORE-DIR [ENTRY...]: the environment the user starts the
# program with; nothing else is in it. E2E_MODE=fallback|override adds
# NIX_LD_MODE, to run the suite in either search order (issue 12);
# E2E_XDG=DIR adds XDG_RUNTIME_DIR, for the automatic cache (issue 21).
user_env() {
	local d=$1; shift
	USER_ENV=("PATH=/usr/bin:/bin" "HOME=$E/home" "LANG=C.UTF-8" "NIX_LD=$STORE_LDSO"
		"NIX_LD_LIBRARY_PATH=$POISON:$d" ${E2E_MODE:+"NIX_LD_MODE=$E2E_MODE"}
		${E2E_XDG:+"XDG_RUNTIME_DIR=$E2E_XDG"}
		"E2E_USER=kept as given" "$@")
}

# run_sim OUT CMD ARG...: run CMD in the simulated NixOS with exactly
# USER_ENV (and the simulation's options E2E_SIM); stdout to OUT, stderr
# to OUT.err. Returns CMD's status.
E2E_SIM=()
run_sim() {
	local out=$1; shift
	printf '%s\0' "${USER_ENV[@]}" > "$out.env"
	"$SIM" --ldshim "$LOADER" "${E2E_SIM[@]}" --env-file "$out.env" -- "$@" > "$out" 2> "$out.err"
}
# ran CASE OUT RC: fail (with stderr) unless RC is 0; for chaining.
ran() {
	[ "$3" = 0 ] && return 0
	fail "$1" "expected exit 0, got $3; stderr: $(head -c 600 "$2.err" | tr '\n' '|')"
	return 1
}

# env_of FILE: the "env NAME=VALUE" lines of a report, sorted (runtimes
# such as the JVM keep the environment in a hash map).
env_of() { sed -n 's/^env //p' "$1" | LC_ALL=C sort; }
# expected_env [ENTRY...]: USER_ENV and these entries, sorted.
expected_env() { printf '%s\n' "${USER_ENV[@]}" "$@" | LC_ALL=C sort; }

# check_env CASE FILE [ENTRY...]: FILE's env lines are exactly USER_ENV
# (plus ENTRY... the parent legitimately added): no LD_LIBRARY_PATH that
# the user did not set, nothing removed, no value changed.
check_env() {
	local c=$1 f=$2; shift 2
	if ! grep -q "^env " "$f" 2>/dev/null; then
		fail "$c" "no environment report in $f: $(head -c 400 "$f" 2>/dev/null | tr '\n' '|') stderr: $(head -c 400 "$f.err" 2>/dev/null | tr '\n' '|')"
		return
	fi
	check_eq "$c" "$(expected_env "$@")" "$(env_of "$f")"
}

# check_children CASE LOG MIN [IGNORE-RE [SED]]: LOG holds at least MIN
# nixchild reports; each loaded the good libgreet (its own, by RUNPATH)
# and has exactly USER_ENV, not counting variables whose names match
# IGNORE-RE (what a parent such as git or gcc adds for its helpers), after
# the sed expression SED (e.g. undoing what git prepends to PATH).
check_children() {
	local c=$1 log=$2 min=$3 ign=${4:-'^$'} ed=${5:-}
	local n bad
	n=$(grep -c '^nixchild ' "$log" 2>/dev/null); n=${n:-0}
	if [ "$n" -lt "$min" ]; then
		fail "$c" "expected at least $min nixchild reports, got $n: $(grep -rh POISON "$(dirname "$log")" 2>/dev/null | head -1)"
		return
	fi
	bad=$(grep '^nixchild ' "$log" | grep -v '^nixchild greet=good ' | head -1)
	if [ -n "$bad" ]; then fail "$c" "a NixOS child loaded the wrong libgreet: $bad"; return; fi
	local want got blk=0 ok=1
	want=$(expected_env | grep -Ev "^($ign)=")
	while [ "$blk" -lt "$n" ]; do
		got=$(awk -v k="$blk" '/^nixchild /{i++} i==k+1 && /^env /{sub(/^env /,""); print}' "$log" |
			grep -Ev "^($ign)=" | sed -e "${ed:-p;d}" | LC_ALL=C sort)
		if [ "$got" != "$want" ]; then ok=0; break; fi
		blk=$((blk + 1))
	done
	if [ "$ok" = 1 ]; then pass "$c"
	else check_eq "$c (child $((blk + 1)) of $n)" "$want" "$got"; fi
}
