# git (Debian's, a foreign program) clones a local repository through the
# file:// transport: it runs git-upload-pack through /bin/sh (both foreign,
# through ldshim again), and a post-checkout hook that is a NixOS program.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/e2e.sh"
is_root || { skip git "needs root for the simulated NixOS"; exit 0; }
git=$(command -v git) || { skip git "no git on PATH: git (TEST_PKGS) did not install"; exit 0; }
e2e_init
o=$E/git; rm -rf "$o"; mkdir -p "$o/hooks"
core=$("$git" --exec-path)
d=$(e2e_store git "$git" "$core"/git-upload-pack "$core"/git-remote-http /bin/sh)
version git "$("$git" --version)"
# The source repository, made on the host.
src=$o/src.git
(set -e; export HOME=$E/home GIT_CONFIG_NOSYSTEM=1
	git init -q -b main "$o/work"; cd "$o/work"
	echo "a file from the source repository" > file.txt
	git add file.txt; git -c user.name=t -c user.email=t@t commit -q -m first
	git clone -q --bare "$o/work" "$src") > "$o/setup" 2>&1 ||
	{ fail git-setup "could not make the source repository: $(cat "$o/setup")"; exit 0; }
cp "$NIXCHILD" "$o/hooks/post-checkout"
user_env "$d" "NIXCHILD_LOG=$o/children"

run_sim "$o/clone" "$git" -c core.hooksPath="$o/hooks" clone -q "file://$src" "$o/dst"; rc=$?
if ran git-clone-file-transport "$o/clone" $rc; then
	check_eq git-clone-file-transport "a file from the source repository" "$(cat "$o/dst/file.txt" 2>&1)"
fi
# The hook's environment is the user's, plus what git sets for hooks:
# GIT_* variables, PWD, and its exec path in front of PATH.
unpath="s|^PATH=$core:|PATH=|"
check_children git-hook-nixos-child-own-lib "$o/children" 1 'GIT_[A-Z_]*|PWD' "$unpath"
run_sim "$o/log" "$git" -C "$o/dst" log --format=%s; rc=$?
ran git-log "$o/log" $rc && check_eq git-log "first" "$(cat "$o/log")"
# An alias runs the foreign env through the shell.
run_sim "$o/alias" "$git" -C "$o/dst" -c alias.showenv='!/usr/bin/env' showenv; rc=$?
if ran git-alias-foreign-env "$o/alias" $rc; then
	sed 's/^/env /' "$o/alias" | grep -Ev '^env (GIT_[A-Z_]*|PWD)=' | sed "s|^env PATH=$core:|env PATH=|" > "$o/alias.env"
	check_env git-alias-foreign-env "$o/alias.env"
fi
