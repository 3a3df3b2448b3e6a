-- The Red Cotton Index of the streets: the districts' definition applied to
-- the streets' own inputs (the values fed for them), normalised among the
-- streets scored that day. See docs/red-cotton-index.md.
CREATE TABLE red_cotton_street_index (
  street_code TEXT NOT NULL REFERENCES streets(code),
  day TEXT NOT NULL,
  safety REAL NOT NULL,
  rule_of_law REAL NOT NULL,
  services REAL NOT NULL,
  harmony REAL NOT NULL,
  participation REAL NOT NULL,
  composite REAL NOT NULL,
  rank INTEGER NOT NULL,
  PRIMARY KEY (street_code, day)
) STRICT, WITHOUT ROWID;
