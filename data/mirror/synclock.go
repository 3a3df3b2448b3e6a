package mirror

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"

	"kapok/data"
)

// LockSync takes the mirror's sync lock (FILE.sync-lock, flock): one sync
// of a mirror at a time, across processes; a second is refused with
// sync_busy. The kernel lets the lock go when its process dies, so a
// killed sync never leaves the mirror locked.
func (m *Mirror) LockSync() (unlock func(), err error) { return LockSyncPath(m.Path) }

// LockSyncPath takes the sync lock of the mirror file at path, made or
// not yet (a first mirror being built from the upstream).
func LockSyncPath(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path+".sync-lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sync lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, data.Refuse(data.CodeSyncBusy, "", data.Value("mirror", path))
		}
		return nil, fmt.Errorf("sync lock: %w", err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}, nil
}

// RecoverSync finishes, without the upstream, a sync that was cut (its
// process killed, or its connection lost) after it had taken this
// console's pending changes back: it takes them again on top of the
// arrivals applied so far, so the console can go on working. It does
// nothing while a sync runs, or when none was cut, and reports whether it
// had work to do.
func (m *Mirror) RecoverSync(ctx context.Context) (bool, error) {
	phase, err := metaTx(ctx, m.DB, "sync_phase")
	if err != nil || phase == "" {
		return false, err
	}
	unlock, err := m.LockSync()
	var f *data.Refusal
	if errors.As(err, &f) && f.Code == data.CodeSyncBusy {
		return false, nil // the sync that runs will finish it
	}
	if err != nil {
		return false, err
	}
	defer unlock()
	_, _, err = m.Reapply(ctx)
	return err == nil, err
}
