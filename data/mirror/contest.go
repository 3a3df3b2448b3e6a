package mirror

import (
	"context"
	"database/sql"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"kapok/data"
	"kapok/data/gpkg"
)

// The annual innovation contest (issue 16): a round (the year it ends in)
// opened with its published criteria, projects entered in it, judges'
// scores, and the ranking (data.Rank). Every change takes the one path:
// permitted, the jurisdiction, the rules, the rows and the journal entry
// in one transaction.

// OpenRound opens a contest round with its published criteria, on behalf
// of actor: project.edit with the whole city's jurisdiction (a round is
// the city's). Each criterion has a code of its own, both names, a weight
// and a maximum above 0.
func (m *Mirror) OpenRound(ctx context.Context, year int, criteria []data.Criterion, actor string, now time.Time) error {
	return m.update(ctx, func(tx *sql.Tx) error {
		user, userID, err := permitted(ctx, tx, actor, data.ActProjectEdit)
		if err != nil {
			return err
		}
		if l, ok := data.LevelOfCode(user.Jurisdiction); user.Jurisdiction != "" && (!ok || l != data.LevelCity) {
			return data.Refuse(data.CodeRoundOutsideJurisdiction, "round", data.Value("round", year), data.Value("jurisdiction", user.Jurisdiction))
		}
		if year < 2000 || year > 2200 {
			return data.Refuse(data.CodeRoundUnknown, "round", data.Value("round", year))
		}
		if len(criteria) == 0 {
			return data.Refuse(data.CodeCriteriaInvalid, "criteria", data.Value("criterion", ""))
		}
		seen := map[string]bool{}
		for _, c := range criteria {
			if c.Code == "" || seen[c.Code] || strings.TrimSpace(c.NameZH) == "" || strings.TrimSpace(c.NameEN) == "" ||
				!(c.Weight > 0) || !(c.Max > 0) || math.IsInf(c.Weight, 0) || math.IsInf(c.Max, 0) {
				return data.Refuse(data.CodeCriteriaInvalid, "criteria", data.Value("criterion", c.Code))
			}
			seen[c.Code] = true
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM contest_rounds WHERE year = ?`, year).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return data.Refuse(data.CodeRoundExists, "round", data.Value("round", year))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO contest_rounds (year, opened_at, opened_by) VALUES (?, ?, ?)`,
			year, gpkg.Time{Time: now}, userID); err != nil {
			return err
		}
		published := make([]map[string]any, len(criteria))
		for i, c := range criteria {
			if _, err := tx.ExecContext(ctx, `INSERT INTO contest_criteria (round, code, seq, name_zh, name_en, weight, max) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				year, c.Code, i+1, strings.TrimSpace(c.NameZH), strings.TrimSpace(c.NameEN), c.Weight, c.Max); err != nil {
				return err
			}
			published[i] = map[string]any{"code": c.Code, "name_zh": c.NameZH, "name_en": c.NameEN, "weight": c.Weight, "max": c.Max}
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindContestRound, Subject: roundSubject(year), Actor: user.Login, At: now,
			Payload: map[string]any{"round": year, "criteria": published}})
		return err
	})
}

func roundSubject(year int) string { return "round " + strconv.Itoa(year) }

// roundExists refuses a round the mirror does not hold.
func roundExists(ctx context.Context, q queryRower, year int) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM contest_rounds WHERE year = ?`, year).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return data.Refuse(data.CodeRoundUnknown, "round", data.Value("round", year))
	}
	return nil
}

// EnterProject enters a project in a round, on behalf of actor
// (project.edit, the project's owner region in their jurisdiction). A
// project entered already stays as it is (nothing written).
func (m *Mirror) EnterProject(ctx context.Context, year int, key, actor string, now time.Time) error {
	return m.update(ctx, func(tx *sql.Tx) error {
		user, _, p, err := editableProject(ctx, tx, actor, key)
		if err != nil {
			return err
		}
		if err := roundExists(ctx, tx, year); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO contest_entries (round, project_uid, entered_at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, year, p.Key, gpkg.Time{Time: now})
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindContestEnter, Subject: p.Key, Actor: user.Login, At: now,
			Payload: map[string]any{"round": year, "uid": p.Key}})
		return err
	})
}

// ScoreEntry records a judge's score (s.Judge, contest.judge) of an entry on
// a criterion of the round, replacing their earlier one. The entry must be
// in the round, the criterion one of the round's, the value within
// 0..its maximum; and the judge may not score their own region's entry
// (data.JudgeConflict).
func (m *Mirror) ScoreEntry(ctx context.Context, s data.Score, now time.Time) error {
	return m.update(ctx, func(tx *sql.Tx) error {
		user, userID, err := permitted(ctx, tx, s.Judge, data.ActContestJudge)
		if err != nil {
			return err
		}
		p, err := projectRow(ctx, tx, s.Project)
		if err != nil {
			return err
		}
		if data.JudgeConflict(user, p.Region) {
			return data.Refuse(data.CodeJudgeOwnRegion, "project", data.Value("project", p.Key), data.Value("region", p.Region),
				data.Value("jurisdiction", user.Jurisdiction))
		}
		if err := roundExists(ctx, tx, s.Round); err != nil {
			return err
		}
		var entered int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM contest_entries WHERE round = ? AND project_uid = ?`, s.Round, p.Key).Scan(&entered); err != nil {
			return err
		}
		if entered == 0 {
			return data.Refuse(data.CodeEntryNotInRound, "project", data.Value("project", p.Key), data.Value("round", s.Round))
		}
		var maxScore float64
		switch err := tx.QueryRowContext(ctx, `SELECT max FROM contest_criteria WHERE round = ? AND code = ?`, s.Round, s.Criterion).Scan(&maxScore); {
		case err == sql.ErrNoRows:
			return data.Refuse(data.CodeCriterionUnknown, "criterion", data.Value("criterion", s.Criterion), data.Value("round", s.Round))
		case err != nil:
			return err
		}
		if !(s.Value >= 0 && s.Value <= maxScore) {
			return data.Refuse(data.CodeScoreOutOfRange, "value", data.Value("criterion", s.Criterion), data.Value("value", s.Value),
				data.Value("max", maxScore))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO contest_scores (round, project_uid, judge, criterion, value, at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (round, project_uid, judge, criterion) DO UPDATE SET value = excluded.value, at = excluded.at`,
			s.Round, p.Key, userID, s.Criterion, s.Value, gpkg.Time{Time: now}); err != nil {
			return err
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindContestScore, Subject: p.Key, Actor: user.Login, At: now,
			Payload: map[string]any{"round": s.Round, "uid": p.Key, "criterion": s.Criterion, "value": s.Value}})
		return err
	})
}

// Rounds are the years of the contest rounds the mirror holds, the latest
// first.
func (m *Mirror) Rounds(ctx context.Context) ([]int, error) {
	return queryColumn[int](ctx, m.DB, `SELECT year FROM contest_rounds ORDER BY year DESC`)
}

// Criteria are a round's published criteria, in their published order.
func (m *Mirror) Criteria(ctx context.Context, year int) ([]data.Criterion, error) {
	if err := roundExists(ctx, m.DB, year); err != nil {
		return nil, err
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT code, name_zh, name_en, weight, max FROM contest_criteria WHERE round = ? ORDER BY seq`, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.Criterion
	for rows.Next() {
		var c data.Criterion
		if err := rows.Scan(&c.Code, &c.NameZH, &c.NameEN, &c.Weight, &c.Max); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Ranking is a round's ranking (data.Rank): each entry's total the mean
// over its judges who scored every criterion (the others Pending) of each
// judge's weighted total (data.WeightedTotal),
// rounded to six decimals; ties broken by the mean score on the heaviest
// criterion, then more judges, the earlier proposal, the project's key;
// the first ten city innovation projects.
func (m *Mirror) Ranking(ctx context.Context, year int) ([]data.RankedEntry, error) {
	criteria, err := m.Criteria(ctx, year)
	if err != nil {
		return nil, err
	}
	heaviest := data.HeaviestCriterion(criteria)
	rows, err := m.DB.QueryContext(ctx, `SELECT p.uid, p.title, p.region_code, +p.proposed_at FROM contest_entries e
		JOIN projects p ON p.uid = e.project_uid WHERE e.round = ? ORDER BY p.uid`, year)
	if err != nil {
		return nil, err
	}
	var entries []data.RankedEntry
	index := map[string]int{}
	for rows.Next() {
		var e data.RankedEntry
		var proposed gpkg.Time
		if err := rows.Scan(&e.Project, &e.Title, &e.Region, &proposed); err != nil {
			_ = rows.Close()
			return nil, err
		}
		e.ProposedAt = proposed.Time
		index[e.Project] = len(entries)
		entries = append(entries, e)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	scores := map[string]map[int64]data.JudgeScores{}
	rows, err = m.DB.QueryContext(ctx, `SELECT project_uid, judge, criterion, value FROM contest_scores WHERE round = ?`, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var project, criterion string
		var judge int64
		var v float64
		if err := rows.Scan(&project, &judge, &criterion, &v); err != nil {
			return nil, err
		}
		if scores[project] == nil {
			scores[project] = map[int64]data.JudgeScores{}
		}
		if scores[project][judge] == nil {
			scores[project][judge] = data.JudgeScores{}
		}
		scores[project][judge][criterion] = v
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for project, judges := range scores {
		i, ok := index[project]
		if !ok {
			continue
		}
		e := &entries[i]
		// In the judges' order, so that equal scores sum the same. A
		// judge counts once they have scored every criterion: a score
		// card half filled would weigh the criteria not yet scored as 0.
		ids := slices.Sorted(maps.Keys(judges))
		for _, id := range ids {
			if len(judges[id]) < len(criteria) {
				e.Pending++
				continue
			}
			e.Total += data.WeightedTotal(criteria, judges[id])
			e.Heaviest += judges[id][heaviest]
			e.Judges++
		}
		if e.Judges > 0 {
			e.Total = round6(e.Total / float64(e.Judges))
			e.Heaviest = round6(e.Heaviest / float64(e.Judges))
		}
	}
	return data.Rank(entries), nil
}

// round6 rounds a mean to six decimals: totals equal to that are a tie
// (the tie-break decides), not an accident of floating point.
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }
