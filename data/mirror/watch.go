package mirror

import (
	"context"
	"database/sql"
	"sync"
)

// Watcher tells a console when the mirror file was changed by another
// connection — another process (kapok feed, the command line, a sync) or
// this one's own writes — so that it reads again only then. It holds a
// connection of its own: SQLite's data_version is per connection and moves
// when any other connection commits to the file.
type Watcher struct {
	mu      sync.Mutex
	conn    *sql.Conn
	version int64
}

// Watch opens a watcher on the mirror; Close it when done.
func (m *Mirror) Watch(ctx context.Context) (*Watcher, error) {
	conn, err := m.DB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	w := &Watcher{conn: conn}
	if err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&w.version); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return w, nil
}

// Changed is whether the file was changed since the watcher was made or
// last said so. It costs one pragma: poll it every second or two.
func (w *Watcher) Changed(ctx context.Context) (bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var v int64
	if err := w.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		return false, err
	}
	changed := v != w.version
	w.version = v
	return changed, nil
}

// Close gives the watcher's connection back.
func (w *Watcher) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.conn.Close()
}
