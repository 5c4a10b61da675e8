# Start kinds: the start this suite's environment gets (on the Nix glibc,
# whose ld.so has room for a cache's name: an automatic cache), then the
# last resort, forced (no cache home writable, no XDG_RUNTIME_DIR). rustc (the
# toolchain's own binary, not rustup's proxy) bundles librustc_driver and
# libLLVM by RUNPATH $ORIGIN/../lib, both with initial-exec TLS; its other
# libraries are only in its store directory. Under the audit module this
# start failed ("cannot allocate memory in static TLS block"); the last
# resort starts it as nix-ld does, with the bundled copies first. It
# compiles a program inside the simulated NixOS, through LLVM to an object
# file (linking would need the system's C toolchain, which the simulated
# NixOS hides).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/e2e.sh"
is_root || { skip rustc "needs root for the simulated NixOS"; exit 0; }
command -v rustc >/dev/null || { skip rustc "no rustc on PATH (rustup or Debian's rustc)"; exit 0; }
sysroot=$(rustc --print sysroot 2>/dev/null) && [ -x "$sysroot/bin/rustc" ] ||
	{ skip rustc "rustc --print sysroot gave no toolchain"; exit 0; }
RUSTC=$sysroot/bin/rustc
e2e_init
d=$(e2e_store rustc "$RUSTC" $(find "$sysroot/lib" -maxdepth 1 -name '*.so'))
o=$E/rustc; rm -rf "$o"; mkdir -p "$o"
user_env "$d" NIX_LD_LOG=info
printf 'fn main() { for (k, v) in std::env::vars() { println!("env {}={}", k, v); } }\n' > "$o/hello.rs"

run_sim "$o/version" "$RUSTC" --version; rc=$?
if ran rustc-version "$o/version" $rc; then
	v=$(head -1 "$o/version")
	case $v in rustc\ *) version rustc "$v"; pass rustc-version ;;
	*) fail rustc-version "expected 'rustc ...', got: $v" ;; esac
	if [ "$SIM_GLIBC" = nix ] && [ "${E2E_MODE:-}" != override ]; then
		case $(cat "$o/version.err") in *"served by the library cache"*) pass rustc-start-cache ;;
		*) fail rustc-start-cache "expected a library cache to serve rustc's start, got: $(head -c 600 "$o/version.err")" ;; esac
	fi
fi
# The last resort, forced.
E2E_SIM=("${NO_CACHE_HOME[@]}")
E2E_XDG= user_env "$d" NIX_LD_LOG=info
run_sim "$o/version" "$RUSTC" --version; rc=$?
if ran rustc-version-last-resort "$o/version" $rc; then
	v=$(head -1 "$o/version")
	case $v in rustc\ *) pass rustc-version-last-resort ;;
	*) fail rustc-version-last-resort "expected 'rustc ...', got: $v" ;; esac
	# (Run again in override mode by t-zz-override-mode.sh: the Nix path
	# first there, the bundled libraries found by their RUNPATH after it.)
	want='last resort (no library cache): library path for ld.so: $ORIGIN/../lib:'
	[ "${E2E_MODE:-}" = override ] && want='override mode: library path for ld.so: '
	case $(cat "$o/version.err") in *"$want"*) pass rustc-start-kind ;;
	*) fail rustc-start-kind "expected '$want', got: $(head -c 600 "$o/version.err")" ;; esac
fi
E2E_XDG= user_env "$d"
run_sim "$o/build" "$RUSTC" -O --emit=obj -o "$o/hello.o" "$o/hello.rs"; rc=$?
if ran rustc-compiles "$o/build" $rc; then
	case $(file -b "$o/hello.o" 2>/dev/null || od -An -c -N4 "$o/hello.o") in
	*ELF*relocatable*|*177*E*L*F*) pass rustc-compiles ;;
	*) fail rustc-compiles "expected an ELF object in $o/hello.o" ;; esac
fi
