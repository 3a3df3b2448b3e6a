-- The innovation program (issue 16): every state a project's rollout in a
-- region took (pilot, rolled_out, planned), the first included, as
-- project_history keeps its stages.
CREATE TABLE project_rollout_history (
  project_uid TEXT NOT NULL REFERENCES projects(uid),
  region_code TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor INTEGER NOT NULL REFERENCES users(id),
  from_state TEXT NOT NULL DEFAULT '',
  to_state TEXT NOT NULL CHECK (to_state IN ('pilot','rolled_out','planned')),
  PRIMARY KEY (project_uid, region_code, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX project_rollout_history_actor ON project_rollout_history (actor);
