-- The people who log in at the consoles, as reference data (the mirror's
-- users table, 0014_access.sql, without the console's own failed-login
-- counter and lock): published by `kapok upstream load`, pulled by every
-- console, so a console applies the journal's operations under their
-- actors' permissions and checks logins offline. Keyed by login; the
-- built-in system user is every mirror's own and is not kept here.
CREATE TABLE users (
  login text PRIMARY KEY CHECK (login <> '' AND login <> 'system'),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin','leader','commander','operator','district_operator',
    'street_operator','grid_worker','analyst')),
  jurisdiction_code text NOT NULL,
  -- argon2id, PHC string form; NULL: the user cannot log in.
  password_hash text CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%'),
  -- when the user was disabled, in the mirror's one time form
  -- (2026-11-25T08:00:00.000Z); NULL: enabled.
  disabled_at text CHECK (disabled_at IS NULL OR disabled_at ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$'),
  version bigint NOT NULL
);
CREATE TRIGGER users_version BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_change_version();
CREATE UNIQUE INDEX users_version ON users (version);
