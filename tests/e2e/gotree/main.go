// gotree NIXCHILD OUTDIR: a foreign Go parent built with cgo, so it is
// dynamically linked (libc, and libz through cgo) and its runtime reads
// argv, envp and auxv from the stack at start. Writes os.Environ() and
// what C's getenv sees to OUTDIR, runs the NixOS child (reports to
// $NIXCHILD_LOG) and the foreign env (OUTDIR/env-child).
package main

/*
#cgo LDFLAGS: -lz
#include <stdlib.h>
#include <zlib.h>
static const char *zver(void) { return zlibVersion(); }
*/
import "C"

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"unsafe"
)

func envLines(env []string) string {
	var b strings.Builder
	for _, e := range env {
		b.WriteString("env " + e + "\n")
	}
	return b.String()
}

func main() {
	nixchild, out := os.Args[1], os.Args[2]
	os.WriteFile(filepath.Join(out, "self"), []byte(envLines(os.Environ())), 0o644)
	name := C.CString("LD_LIBRARY_PATH")
	defer C.free(unsafe.Pointer(name))
	fmt.Printf("cgo: zlib %v, C getenv(LD_LIBRARY_PATH) set: %v\n",
		C.GoString(C.zver()) != "", C.getenv(name) != nil)
	cmd := exec.Command(nixchild)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	fmt.Println("nixchild:", cmd.Run())
	e, err := exec.Command("/usr/bin/env").Output()
	fmt.Println("env:", err)
	var child []string
	for _, l := range strings.Split(strings.TrimSpace(string(e)), "\n") {
		child = append(child, l)
	}
	os.WriteFile(filepath.Join(out, "env-child"), []byte(envLines(child)), 0o644)
}
