package localpg

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// serverBinaries are the programs a cluster needs; all three must come from
// the same installation.
var serverBinaries = []string{"pg_ctl", "initdb", "postgres"}

// debianLibDir is where Debian and Ubuntu install one bin directory per major
// version, none of them on PATH. A variable so tests can point it elsewhere.
var debianLibDir = "/usr/lib/postgresql"

// binaries are the absolute paths of one installation's server programs.
type binaries struct {
	pgCtl, initdb, postgres string
	// pgBasebackup is in the same directory; only standbys need it.
	pgBasebackup string
}

// findBinaries looks for pg_ctl on PATH (following symlinks to the real
// installation), then in the newest /usr/lib/postgresql/*/bin, and takes the
// first directory that holds all of the server binaries.
func findBinaries() (binaries, error) {
	var candidates []string
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			candidates = append(candidates, filepath.Dir(real))
		}
		candidates = append(candidates, filepath.Dir(p))
	}
	candidates = append(candidates, debianBinDirs()...)
	for _, dir := range candidates {
		if b, ok := binariesIn(dir); ok {
			return b, nil
		}
	}
	return binaries{}, fmt.Errorf("localpg: PostgreSQL server binaries not found: looked for %s on PATH and in %s/*/bin; "+
		"install them with \"apt-get install postgresql\" (Debian/Ubuntu), or put the directory holding them on PATH",
		strings.Join(serverBinaries, ", "), debianLibDir)
}

// binariesIn reports the server binaries in dir, if all are there.
func binariesIn(dir string) (binaries, bool) {
	for _, name := range serverBinaries {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || st.IsDir() || st.Mode().Perm()&0o111 == 0 {
			return binaries{}, false
		}
	}
	return binaries{
		pgCtl:        filepath.Join(dir, "pg_ctl"),
		initdb:       filepath.Join(dir, "initdb"),
		postgres:     filepath.Join(dir, "postgres"),
		pgBasebackup: filepath.Join(dir, "pg_basebackup"),
	}, true
}

// debianBinDirs lists /usr/lib/postgresql/<version>/bin, newest version first.
func debianBinDirs() []string {
	entries, err := os.ReadDir(debianLibDir)
	if err != nil {
		return nil
	}
	var versions []string
	for _, e := range entries {
		if e.IsDir() {
			versions = append(versions, e.Name())
		}
	}
	slices.SortFunc(versions, func(a, b string) int { return compareVersions(b, a) })
	dirs := make([]string, len(versions))
	for i, v := range versions {
		dirs[i] = filepath.Join(debianLibDir, v, "bin")
	}
	return dirs
}

// compareVersions orders dotted version numbers numerically, so "15" sorts
// after "9.6"; parts that are not numbers compare as zero.
func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(pa), len(pb)) {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}
