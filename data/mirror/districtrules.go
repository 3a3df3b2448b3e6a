package mirror

import (
	"context"
	"database/sql"
	"encoding/json"
	"maps"
	"slices"
	"time"

	"kapok/data"
)

// DistrictRules are a district's shift table and patrol rules as rosters
// planned from now on use them (rosters keep the table they were planned
// with).
func (m *Mirror) DistrictRules(ctx context.Context, district string) ([]data.ShiftDef, data.PatrolRules, error) {
	if err := districtCode(ctx, m.DB, district); err != nil {
		return nil, data.PatrolRules{}, err
	}
	shifts, err := districtShifts(ctx, m.DB, district)
	if err != nil {
		return nil, data.PatrolRules{}, err
	}
	rules, err := districtRules(ctx, m.DB, district)
	return shifts, rules, err
}

// SetDistrictRules sets a district's shift table (nil: keep it) and patrol
// rules (nil: keep them), checked, with a journal entry; only a user whose
// jurisdiction covers the district.
func (m *Mirror) SetDistrictRules(ctx context.Context, district string, shifts []data.ShiftDef, rules *data.PatrolRules, actor string, now time.Time) error {
	if shifts != nil {
		if err := data.CheckShifts(shifts); err != nil {
			return err
		}
	}
	if rules != nil {
		if err := checkRules(*rules); err != nil {
			return err
		}
	}
	return m.update(ctx, func(tx *sql.Tx) error {
		user, _, err := permitted(ctx, tx, actor, data.ActRosterEdit)
		if err != nil {
			return err
		}
		if err := districtCode(ctx, tx, district); err != nil {
			return err
		}
		if !user.Covers(district) {
			return data.Refuse(data.CodeRosterOutsideJurisdiction, "district", data.Value("region", district), data.Value("jurisdiction", user.Jurisdiction))
		}
		payload := map[string]any{"district": district}
		if _, err := tx.ExecContext(ctx, `INSERT INTO district_schedule_rules (district_code) VALUES (?) ON CONFLICT DO NOTHING`, district); err != nil {
			return err
		}
		if shifts != nil {
			js, err := json.Marshal(shiftsJSON(shifts))
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE district_schedule_rules SET shifts = ? WHERE district_code = ?`, string(js), district); err != nil {
				return err
			}
			payload["shifts"] = shiftsJSON(shifts)
		}
		if rules != nil {
			own := map[string]any{"required": rules.Required, "high_risk_extra": rules.HighRiskExtra, "max_shifts": rules.MaxShifts,
				"min_rest_hours": rules.MinRest.Hours(), "allow_lending": rules.AllowLending}
			js, err := json.Marshal(own)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE district_schedule_rules SET patrol_rules = ? WHERE district_code = ?`, string(js), district); err != nil {
				return err
			}
			payload["rules"] = own
		}
		_, err = journalAppend(ctx, tx, change{Kind: data.KindDistrictRules, Subject: district, Actor: user.Login, At: now, Payload: payload})
		return err
	})
}

// districtCode refuses a code that is not one of the mirror's districts.
func districtCode(ctx context.Context, q queryRower, code string) error {
	if len(code) != 6 {
		return data.Refuse(data.CodeRosterRegion, "district", data.Value("code", code))
	}
	return regionExists(ctx, q, code)
}

// checkRules refuses negative limits and counts, naming the rule as a term
// (and a required count's grid kind and shift) for the edges to translate.
func checkRules(r data.PatrolRules) error {
	for _, c := range []struct {
		what string
		bad  bool
	}{{"max shifts", r.MaxShifts < 0}, {"min rest", r.MinRest < 0}, {"high-risk extra", r.HighRiskExtra < 0}} {
		if c.bad {
			return data.Refuse(data.CodeRulesInvalid, "rules", data.Term("what", c.what))
		}
	}
	kinds := slices.Sorted(maps.Keys(r.Required)) // the first in order, whatever the map's
	for _, kind := range kinds {
		byShift := r.Required[kind]
		for _, shift := range slices.Sorted(maps.Keys(byShift)) {
			if byShift[shift] < 0 {
				return data.Refuse(data.CodeRulesInvalid, "rules", data.Term("what", "required patrols"), data.Term("kind", kind), data.Term("shift", shift))
			}
		}
	}
	return nil
}
