package localpg

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// account is the unprivileged system user the server runs as when this
// process is root, because initdb, pg_ctl and postgres refuse to run as root.
type account struct {
	name     string
	uid, gid uint32
}

// serverAccount returns nil when the current user can run PostgreSQL itself,
// and otherwise the "postgres" system user, or "nobody" when there is none.
func serverAccount() (*account, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	var errs []error
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		uid, err := strconv.ParseUint(u.Uid, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("localpg: user %s: uid %q: %w", name, u.Uid, err)
		}
		gid, err := strconv.ParseUint(u.Gid, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("localpg: user %s: gid %q: %w", name, u.Gid, err)
		}
		return &account{name: name, uid: uint32(uid), gid: uint32(gid)}, nil
	}
	return nil, fmt.Errorf("localpg: running as root, and PostgreSQL refuses to run as root; "+
		"no \"postgres\" or \"nobody\" user to run it as (create one with \"adduser --system postgres\"): %w",
		errors.Join(errs...))
}

// credential is what the server's processes run with; nil keeps the current
// user.
func (a *account) credential() *syscall.SysProcAttr {
	if a == nil {
		return nil
	}
	return &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: a.uid, Gid: a.gid}}
}

// own hands dir and everything in it to the account.
func (a *account) own(dir string) error {
	if a == nil {
		return nil
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok && st.Uid == a.uid && st.Gid == a.gid {
			return nil
		}
		return os.Lchown(path, int(a.uid), int(a.gid))
	})
	if err != nil {
		return fmt.Errorf("localpg: give %s to user %s: %w", dir, a.name, err)
	}
	return nil
}

// makeTraversable adds the "others may enter" bit to every ancestor of dir
// the account could not otherwise pass through, such as the 0700 directories
// os.MkdirTemp creates. It lists nothing: directories stay unreadable.
func (a *account) makeTraversable(dir string, logf func(string, ...any)) error {
	if a == nil {
		return nil
	}
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		info, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("localpg: %w", err)
		}
		if !a.canTraverse(info) {
			if err := os.Chmod(p, info.Mode().Perm()|0o001); err != nil {
				return fmt.Errorf("localpg: let user %s traverse %s: %w", a.name, p, err)
			}
			logf("localpg: added o+x to %s so PostgreSQL, running as user %s, can reach its data directory", p, a.name)
		}
		if parent := filepath.Dir(p); parent == p {
			return nil
		}
	}
}

func (a *account) canTraverse(info fs.FileInfo) bool {
	perm := info.Mode().Perm()
	st, ok := info.Sys().(*syscall.Stat_t)
	switch {
	case !ok:
		return perm&0o001 != 0
	case st.Uid == a.uid:
		return perm&0o100 != 0
	case st.Gid == a.gid:
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}
