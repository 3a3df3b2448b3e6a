package mirror

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
)

// Innovation projects (issue 16): proposed, moved through the incubator's
// stages and given milestones through one path (permitted with
// data.ActProjectEdit, the project's owner region in the actor's
// jurisdiction, the process's rules, then the row, its history and its
// journal entry in one transaction).

// AddProject proposes a project on behalf of req.Actor: its owner region a
// district, street or community of the mirror in the actor's jurisdiction,
// a title, the indicators (codes of the catalogue) it means to move.
func (m *Mirror) AddProject(ctx context.Context, req data.ProjectRequest, now time.Time) (data.Project, error) {
	p := data.Project{Region: strings.TrimSpace(req.Region), Unit: strings.TrimSpace(req.Unit), Title: strings.TrimSpace(req.Title),
		Description: strings.TrimSpace(req.Description), Stage: data.StageProposed, ProposedAt: now.UTC().Truncate(time.Millisecond)}
	p.StageAt = p.ProposedAt
	for _, c := range req.Indicators {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(p.Indicators, c) {
			p.Indicators = append(p.Indicators, c)
		}
	}
	slices.Sort(p.Indicators)
	err := m.update(ctx, func(tx *sql.Tx) error {
		user, userID, err := permitted(ctx, tx, req.Actor, data.ActProjectEdit)
		if err != nil {
			return err
		}
		if err := programRegion(ctx, tx, user, p.Region); err != nil {
			return err
		}
		if p.Title == "" {
			return data.Refuse(data.CodeProjectTitleEmpty, "title")
		}
		for _, c := range p.Indicators {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM indicator_defs WHERE code = ?`, c).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return data.Refuse(data.CodeIndicatorUnknown, "indicators", data.Value("indicator", c))
			}
		}
		if p.Key, err = newUID(tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO projects (uid, region_code, unit, title, description, stage, proposed_at, stage_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.Key, p.Region, p.Unit, p.Title, p.Description, p.Stage,
			gpkg.Time{Time: p.ProposedAt}, gpkg.Time{Time: p.StageAt}, userID); err != nil {
			return err
		}
		for _, c := range p.Indicators {
			if _, err := tx.ExecContext(ctx, `INSERT INTO project_indicators (project_uid, indicator_code) VALUES (?, ?)`, p.Key, c); err != nil {
				return err
			}
		}
		if err := projectHistory(ctx, tx, p.Key, now, userID, "", p.Stage, ""); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindProjectAdd, Subject: p.Key, Actor: user.Login, At: now,
			Payload: map[string]any{"uid": p.Key, "region": p.Region, "unit": p.Unit, "title": p.Title, "description": p.Description,
				"indicators": p.Indicators}})
		return err
	})
	return p, err
}

// MoveProject moves a project to the next stage of the process, or stops it
// (with a reason) from any stage but rolled out (data.CheckStageMove).
func (m *Mirror) MoveProject(ctx context.Context, key string, to data.Stage, reason, actor string, now time.Time) (data.Project, error) {
	var p data.Project
	reason = strings.TrimSpace(reason)
	err := m.update(ctx, func(tx *sql.Tx) error {
		user, userID, q, err := editableProject(ctx, tx, actor, key)
		if err != nil {
			return err
		}
		p = q
		if err := data.CheckStageMove(p.Key, p.Stage, to, reason); err != nil {
			return err
		}
		if to != data.StageStopped {
			reason = ""
		}
		from := p.Stage
		p.Stage, p.Reason, p.StageAt = to, reason, now.UTC().Truncate(time.Millisecond)
		if _, err := tx.ExecContext(ctx, `UPDATE projects SET stage = ?, reason = ?, stage_at = ? WHERE uid = ?`,
			p.Stage, p.Reason, gpkg.Time{Time: p.StageAt}, p.Key); err != nil {
			return err
		}
		if err := projectHistory(ctx, tx, p.Key, now, userID, from, to, reason); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindProjectMove, Subject: p.Key, Actor: user.Login, At: now,
			Payload: map[string]any{"uid": p.Key, "from": string(from), "to": string(to), "reason": reason}})
		return err
	})
	return p, err
}

// AddMilestone gives a project a milestone due at due; DoneMilestone marks
// one reached. Both as project.edit in the project's owner region.
func (m *Mirror) AddMilestone(ctx context.Context, key, title string, due time.Time, actor string, now time.Time) (data.Milestone, error) {
	ms := data.Milestone{Title: strings.TrimSpace(title), Due: due.UTC().Truncate(time.Millisecond)}
	err := m.milestoneChange(ctx, key, actor, now, func(tx *sql.Tx, p data.Project) (map[string]any, error) {
		if ms.Title == "" || due.IsZero() {
			return nil, data.Refuse(data.CodeMilestoneInvalid, "milestone", data.Value("project", p.Key))
		}
		var err error
		if ms.UID, err = newUID(tx); err != nil {
			return nil, err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO milestones (project_uid, uid, title, due_at) VALUES (?, ?, ?, ?)`,
			p.Key, ms.UID, ms.Title, gpkg.Time{Time: ms.Due})
		if err != nil {
			return nil, err
		}
		if ms.ID, err = res.LastInsertId(); err != nil {
			return nil, err
		}
		return map[string]any{"uid": p.Key, "milestone_uid": ms.UID, "title": ms.Title, "due": gpkg.FormatTime(ms.Due)}, nil
	})
	return ms, err
}

// DoneMilestone marks the project's milestone id (this mirror's number of
// it) reached at now.
func (m *Mirror) DoneMilestone(ctx context.Context, key string, id int64, actor string, now time.Time) error {
	return m.doneMilestone(ctx, key, "id", id, actor, now)
}

// doneMilestone marks the milestone whose column by (id, or uid when sync
// replays another console's step) holds which reached at now.
func (m *Mirror) doneMilestone(ctx context.Context, key, by string, which any, actor string, now time.Time) error {
	return m.milestoneChange(ctx, key, actor, now, func(tx *sql.Tx, p data.Project) (map[string]any, error) {
		var uid string
		err := tx.QueryRowContext(ctx, `UPDATE milestones SET done_at = ? WHERE `+by+` = ? AND project_uid = ? AND done_at IS NULL
			RETURNING uid`, gpkg.Time{Time: now}, which, p.Key).Scan(&uid)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return nil, data.Refuse(data.CodeMilestoneInvalid, "milestone", data.Value("project", p.Key))
		case err != nil:
			return nil, err
		}
		return map[string]any{"uid": p.Key, "milestone_uid": uid, "done": gpkg.FormatTime(now)}, nil
	})
}

func (m *Mirror) milestoneChange(ctx context.Context, key, actor string, now time.Time,
	fn func(tx *sql.Tx, p data.Project) (map[string]any, error)) error {
	return m.update(ctx, func(tx *sql.Tx) error {
		user, _, p, err := editableProject(ctx, tx, actor, key)
		if err != nil {
			return err
		}
		payload, err := fn(tx, p)
		if err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindProjectMilestone, Subject: p.Key, Actor: user.Login, At: now, Payload: payload})
		return err
	})
}

// programRegion refuses a region a project may not be owned by or rolled
// out to: not a district, street or community, not in the mirror, or
// outside the user's jurisdiction.
func programRegion(ctx context.Context, tx *sql.Tx, user data.User, region string) error {
	switch len(region) {
	case data.LevelDistrict.CodeLength(), data.LevelStreet.CodeLength(), data.LevelCommunity.CodeLength():
	default:
		return data.Refuse(data.CodeProjectRegionLevel, "region", data.Value("region", region))
	}
	if err := regionExists(ctx, tx, region); err != nil {
		return err
	}
	if !user.Covers(region) {
		return data.Refuse(data.CodeProjectOutsideJurisdiction, "region", data.Value("region", region), data.Value("jurisdiction", user.Jurisdiction))
	}
	return nil
}

// editableProject is the one path's first steps for a change to a
// project: the actor permitted project.edit, the project (projectRow), its
// owner region in the actor's jurisdiction.
func editableProject(ctx context.Context, tx *sql.Tx, actor, key string) (data.User, int64, data.Project, error) {
	user, userID, err := permitted(ctx, tx, actor, data.ActProjectEdit)
	if err != nil {
		return user, 0, data.Project{}, err
	}
	p, err := projectRow(ctx, tx, key)
	if err != nil {
		return user, 0, p, err
	}
	if !user.Covers(p.Region) {
		return user, 0, p, data.Refuse(data.CodeProjectOutsideJurisdiction, "project", data.Value("region", p.Region),
			data.Value("jurisdiction", user.Jurisdiction))
	}
	return user, userID, p, nil
}

func projectHistory(ctx context.Context, tx *sql.Tx, key string, at time.Time, actor int64, from, to data.Stage, reason string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO project_history (project_uid, seq, at, actor, from_stage, to_stage, reason)
		VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM project_history WHERE project_uid = ?1), ?2, ?3, ?4, ?5, ?6)`,
		key, gpkg.Time{Time: at}, actor, from, to, reason)
	return err
}

const projectColumns = `uid, region_code, unit, title, description, stage, reason, +proposed_at, +stage_at`

func scanProject(s interface{ Scan(...any) error }) (data.Project, error) {
	var p data.Project
	var proposed, stage gpkg.Time
	err := s.Scan(&p.Key, &p.Region, &p.Unit, &p.Title, &p.Description, &p.Stage, &p.Reason, &proposed, &stage)
	p.ProposedAt, p.StageAt = proposed.Time, stage.Time
	return p, err
}

// projectRow reads a project by its key or the one key it begins with (at
// least 8 characters, as the command line shows them).
func projectRow(ctx context.Context, q querier, key string) (data.Project, error) {
	unknown := data.Refuse(data.CodeProjectUnknown, "project", data.Value("project", key))
	if len(key) < 8 {
		return data.Project{}, unknown
	}
	keys, err := queryColumn[string](ctx, q, `SELECT uid FROM projects WHERE substr(uid, 1, length(?1)) = ?1 ORDER BY uid = ?1 DESC LIMIT 2`, key)
	switch {
	case err != nil:
		return data.Project{}, err
	case len(keys) == 0, len(keys) == 2 && keys[0] != key:
		return data.Project{}, unknown
	}
	rows, err := q.QueryContext(ctx, `SELECT `+projectColumns+` FROM projects WHERE uid = ?`, keys[0])
	if err != nil {
		return data.Project{}, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return data.Project{}, err
		}
		return data.Project{}, unknown
	}
	p, err := scanProject(rows)
	if err != nil {
		return p, err
	}
	if err := rows.Close(); err != nil {
		return p, err
	}
	p.Indicators, err = queryColumn[string](ctx, q, `SELECT indicator_code FROM project_indicators WHERE project_uid = ? ORDER BY indicator_code`, p.Key)
	return p, err
}

// Projects lists the projects of a stage and in a region (ProjectFilter),
// by stage in the process's order, then proposal.
func (m *Mirror) Projects(ctx context.Context, f data.ProjectFilter) ([]data.Project, error) {
	return m.projects(ctx, `SELECT `+projectColumns+` FROM projects
		WHERE (?1 = '' OR stage = ?1) AND substr(region_code, 1, length(?2)) = ?2 ORDER BY proposed_at, uid`, f.Stage, f.Region)
}

// ProjectsAt lists the projects proposed by at, each at its stage then
// (its last stage change by then: the stage, its time and the reason it
// was stopped), picked by ProjectFilter on the stage then, in Projects'
// order: the program as it stood, for a replay.
func (m *Mirror) ProjectsAt(ctx context.Context, f data.ProjectFilter, at time.Time) ([]data.Project, error) {
	return m.projects(ctx, `SELECT p.uid, p.region_code, p.unit, p.title, p.description, h.to_stage, h.reason, +p.proposed_at, +h.at
		FROM projects p JOIN project_history h ON h.project_uid = p.uid
			AND h.seq = (SELECT max(seq) FROM project_history WHERE project_uid = p.uid AND at <= ?3)
		WHERE p.proposed_at <= ?3 AND (?1 = '' OR h.to_stage = ?1) AND substr(p.region_code, 1, length(?2)) = ?2
		ORDER BY p.proposed_at, p.uid`, f.Stage, f.Region, gpkg.Time{Time: at})
}

// projects runs a query of projectColumns' shape and orders its projects
// by stage in the process's order (stable: the query's order within).
func (m *Mirror) projects(ctx context.Context, query string, args ...any) ([]data.Project, error) {
	rows, err := m.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.Project
	for rows.Next() {
		p, err := scanProject(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b data.Project) int {
		return slices.Index(data.Stages, a.Stage) - slices.Index(data.Stages, b.Stage)
	})
	return out, nil
}

// Project reads one project (by its key or a prefix of at least 8
// characters naming one) with its indicators and milestones, by due date,
// those overdue at now flagged (data.Milestone.OverdueAt; now may be a
// past moment: a milestone done since was overdue then).
func (m *Mirror) Project(ctx context.Context, key string, now time.Time) (data.Project, error) {
	p, err := projectRow(ctx, m.DB, key)
	if err != nil {
		return p, err
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT id, uid, title, +due_at, done_at FROM milestones WHERE project_uid = ? ORDER BY due_at, uid`, p.Key)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var ms data.Milestone
		var due gpkg.Time
		var done gpkg.NullTime
		if err := rows.Scan(&ms.ID, &ms.UID, &ms.Title, &due, &done); err != nil {
			return p, err
		}
		ms.Due = due.Time
		if done.Valid {
			ms.Done = done.Time
		}
		ms.Overdue = ms.OverdueAt(p.Stage, now)
		p.Milestones = append(p.Milestones, ms)
	}
	return p, rows.Err()
}
