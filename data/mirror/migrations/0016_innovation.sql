-- The innovation program (issue 16): projects an incubator follows through
-- its stages (申报 → 入库 → 试点 → 评估 → 推广, or 终止 with a reason), their
-- milestones and the indicators they mean to move; the annual contest's
-- rounds, published criteria, entries and judges' scores; the regions a
-- project is piloted or rolled out in. Projects are made at consoles, so
-- their key is a UUIDv7.
CREATE TABLE projects (
  uid TEXT PRIMARY KEY,
  region_code TEXT NOT NULL,
  unit TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  stage TEXT NOT NULL CHECK (stage IN ('proposed','incubating','piloting','evaluated','rolled_out','stopped')),
  reason TEXT NOT NULL DEFAULT '',
  proposed_at TEXT NOT NULL,
  stage_at TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id)
) STRICT, WITHOUT ROWID;
CREATE INDEX projects_stage ON projects (stage, region_code);
CREATE INDEX projects_region ON projects (region_code);
CREATE INDEX projects_created_by ON projects (created_by);

-- Every stage a project reached, the first (proposed) included.
CREATE TABLE project_history (
  project_uid TEXT NOT NULL REFERENCES projects(uid),
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor INTEGER NOT NULL REFERENCES users(id),
  from_stage TEXT NOT NULL DEFAULT '',
  to_stage TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (project_uid, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX project_history_actor ON project_history (actor);

CREATE TABLE milestones (
  id INTEGER PRIMARY KEY,
  project_uid TEXT NOT NULL REFERENCES projects(uid),
  title TEXT NOT NULL,
  due_at TEXT NOT NULL,
  done_at TEXT
) STRICT;
CREATE INDEX milestones_project ON milestones (project_uid, due_at);

CREATE TABLE project_indicators (
  project_uid TEXT NOT NULL REFERENCES projects(uid),
  indicator_code TEXT NOT NULL REFERENCES indicator_defs(code),
  PRIMARY KEY (project_uid, indicator_code)
) STRICT, WITHOUT ROWID;
CREATE INDEX project_indicators_code ON project_indicators (indicator_code);

-- A round is named by the year it ends in (2021 for 2020–2021).
CREATE TABLE contest_rounds (
  year INTEGER PRIMARY KEY,
  opened_at TEXT NOT NULL,
  opened_by INTEGER NOT NULL REFERENCES users(id)
) STRICT;
CREATE INDEX contest_rounds_opened_by ON contest_rounds (opened_by);

CREATE TABLE contest_criteria (
  round INTEGER NOT NULL REFERENCES contest_rounds(year),
  code TEXT NOT NULL,
  seq INTEGER NOT NULL,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  weight REAL NOT NULL CHECK (weight > 0),
  max REAL NOT NULL CHECK (max > 0),
  PRIMARY KEY (round, code)
) STRICT, WITHOUT ROWID;

CREATE TABLE contest_entries (
  round INTEGER NOT NULL REFERENCES contest_rounds(year),
  project_uid TEXT NOT NULL REFERENCES projects(uid),
  entered_at TEXT NOT NULL,
  PRIMARY KEY (round, project_uid)
) STRICT, WITHOUT ROWID;
CREATE INDEX contest_entries_project ON contest_entries (project_uid);

-- A judge's score of an entry on a criterion; scored again, replaced.
CREATE TABLE contest_scores (
  round INTEGER NOT NULL,
  project_uid TEXT NOT NULL,
  judge INTEGER NOT NULL REFERENCES users(id),
  criterion TEXT NOT NULL,
  value REAL NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (round, project_uid, judge, criterion),
  FOREIGN KEY (round, project_uid) REFERENCES contest_entries(round, project_uid),
  FOREIGN KEY (round, criterion) REFERENCES contest_criteria(round, code)
) STRICT, WITHOUT ROWID;
CREATE INDEX contest_scores_judge ON contest_scores (judge);
CREATE INDEX contest_scores_criterion ON contest_scores (round, criterion);

-- The regions a project is piloted in, rolled out to, or planned for.
CREATE TABLE project_rollouts (
  project_uid TEXT NOT NULL REFERENCES projects(uid),
  region_code TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pilot','rolled_out','planned')),
  since TEXT NOT NULL,
  PRIMARY KEY (project_uid, region_code)
) STRICT, WITHOUT ROWID;
CREATE INDEX project_rollouts_region ON project_rollouts (region_code);
