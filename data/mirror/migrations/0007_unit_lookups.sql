-- What a recommendation reads on every call, kept small: the units that
-- are not available (most are), and the holds taken lately (holds are
-- never deleted, so all of them grow without end).
CREATE INDEX units_not_available ON units(code, status) WHERE status != 'available';
CREATE INDEX unit_holds_since ON unit_holds(since);
