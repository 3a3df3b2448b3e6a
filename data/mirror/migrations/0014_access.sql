-- kapok: foreign keys off
-- Access (issue 13): the roles of the permission matrix (data/access.go),
-- and what logging in needs: a password hash (argon2id, PHC string form;
-- NULL: the user cannot log in, as the system), a user disabled (kept, as
-- the journal and the orders name them), the failed logins in a row and
-- the lock they earned. SQLite cannot change a CHECK, so the table is
-- rebuilt with the same ids, which orders, alerts and history refer to.
CREATE TABLE users_new (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('system','admin','leader','commander','operator','district_operator',
    'street_operator','grid_worker','analyst')),
  jurisdiction_code TEXT NOT NULL,
  password_hash TEXT,
  disabled_at TEXT,
  failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked_until TEXT
) STRICT;
INSERT INTO users_new (id, login, name, role, jurisdiction_code)
  SELECT id, login, name, role, jurisdiction_code FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
