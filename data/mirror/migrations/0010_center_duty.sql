-- Duty rosters of the governance centers (值班表, issue 10): who is on duty
-- at each center in each shift. A center with nobody on duty in the shift
-- under way is flagged on the status board.
CREATE TABLE center_duty (
  uid TEXT PRIMARY KEY,
  center_code TEXT NOT NULL REFERENCES centers(code),
  shift TEXT NOT NULL,                 -- "2026-12-01/day"
  start_at TEXT NOT NULL,              -- the shift's span, for lookups by time
  end_at TEXT NOT NULL,
  person TEXT NOT NULL CHECK (length(trim(person)) > 0),
  phone TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT 'duty_officer' CHECK (role IN ('leader_on_duty','duty_officer')),
  CHECK (end_at > start_at),
  UNIQUE (center_code, shift, person)
) STRICT;
CREATE INDEX center_duty_center ON center_duty(center_code, start_at, end_at);
