# A JVM (Debian's OpenJDK 17, a foreign program): the launcher finds
# libjli and libjvm by its own RPATH under /usr/lib/jvm (not hidden), and
# libz, libstdc++, libgcc_s only in its store directory. javac compiles a
# class inside the simulated NixOS, java runs it: zip through libz, a
# NixOS child, the foreign env.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/e2e.sh"
is_root || { skip java "needs root for the simulated NixOS"; exit 0; }
jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")") ||
	{ skip java "no javac on PATH: openjdk-17-jdk-headless (TEST_PKGS) did not install"; exit 0; }
e2e_init
d=$(e2e_store java "$jdk/bin/java" "$jdk/bin/javac" $(find "$jdk/lib" -name '*.so'))
o=$E/java; rm -rf "$o"; mkdir -p "$o/classes"
user_env "$d" "NIXCHILD_LOG=$o/children"

run_sim "$o/version" "$jdk/bin/java" -version; rc=$?
if ran java-version "$o/version" $rc; then
	v=$(head -1 "$o/version.err")
	case $v in *version*) version java "$v"; pass java-version ;;
	*) fail java-version "expected 'openjdk version ...' on stderr, got: $v" ;; esac
fi
run_sim "$o/javac" "$jdk/bin/javac" -d "$o/classes" "$SRC/Tree.java"; rc=$?
ran javac-compiles "$o/javac" $rc && { [ -e "$o/classes/Tree.class" ] && pass javac-compiles ||
	fail javac-compiles "javac exited 0 but wrote no Tree.class"; }
run_sim "$o/tree" "$jdk/bin/java" -cp "$o/classes" Tree "$NIXCHILD" "$o"; rc=$?
ran java-tree "$o/tree" $rc && check_eq java-tree "zip: 7000 -> N -> 7000 same
nixchild: exit 0
env: exit 0" "$(sed 's/-> [0-9]* ->/-> N ->/' "$o/tree")"
check_env java-own-env "$o/self"
check_env java-foreign-child-env "$o/env-child"
check_children java-nixos-child-own-lib "$o/children" 1
