package mirror

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"kapok/data"
	"kapok/data/gpkg"
)

// Security (安全防控): what the console's security panel shows on six
// dimensions — police incidents (警情), command (指挥: the centers' duty),
// patrol (巡逻: units on patrol), video (视频: cameras), checkpoints (卡口)
// and the network (网络: online public-opinion alerts) — read at an
// instant. Reads only.

// Indicators the security panel shows per district.
const (
	// CheckpointTrafficIndicator is 卡口过车量, vehicles through checkpoints.
	CheckpointTrafficIndicator = "public_safety-07H"
	// OpinionAlertsIndicator is 网络舆情预警数, online public-opinion alerts.
	OpinionAlertsIndicator = "social_stability-07H"
)

// PoliceDepartment is the department police matters are handled by: the
// matters whose department starts with it (公安局, its traffic police
// 公安局交通警察支队) are police incidents wherever they were reported.
const PoliceDepartment = "公安局"

// PoliceIncident is an open case reported by the police (source police)
// or of a matter the police handle.
type PoliceIncident struct {
	Code, Matter, Category, Source, Grid string
	State                                data.EventState
	ReportedAt                           time.Time
	At                                   orb.Point
}

// PoliceIncidents are the open cases under region (a code prefix; "": all)
// reported by the police or of a police matter, reported in [since, now],
// the latest first.
func (m *Mirror) PoliceIncidents(ctx context.Context, region string, since, now time.Time) ([]PoliceIncident, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT e.code, e.matter_code, t.category, e.source, e.grid_code, e.state, +e.reported_at, e.geom
		FROM events e JOIN matter_types t ON t.code = e.matter_code
		WHERE e.state IN `+openStates+` AND e.grid_code LIKE ?1 || '%' AND e.reported_at >= ?2 AND e.reported_at <= ?3
		AND (e.source = ?4 OR t.department LIKE ?5 || '%')
		ORDER BY e.reported_at DESC, e.code`, region, gpkg.Time{Time: since}, gpkg.Time{Time: now}, string(data.SourcePolice), PoliceDepartment)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PoliceIncident
	var gb sql.RawBytes
	for rows.Next() {
		var p PoliceIncident
		var at gpkg.Time
		if err := rows.Scan(&p.Code, &p.Matter, &p.Category, &p.Source, &p.Grid, &p.State, &at, &gb); err != nil {
			return nil, err
		}
		p.ReportedAt = at.Time
		g, err := gpkg.DecodeGeom(gb)
		if err != nil {
			return nil, fmt.Errorf("events %s: %w", p.Code, err)
		}
		p.At, _ = g.(orb.Point)
		out = append(out, p)
	}
	return out, rows.Err()
}

// PatrolUnit is a unit on patrol at an instant: a target of a running
// patrol order (issued at a console or by a published roster) whose window
// holds the instant.
type PatrolUnit struct {
	Code, Name, Grid string
	At               orb.Point
	Order            int // the order's number (#12)
	Start, End       time.Time
}

// UnitsOnPatrol are the units under region (a code prefix of their grid;
// "": all) on patrol at now, by unit code; a unit held by two patrol
// orders at once is listed once, with the order that ends first.
func (m *Mirror) UnitsOnPatrol(ctx context.Context, region string, now time.Time) ([]PatrolUnit, error) {
	rows, err := m.DB.QueryContext(ctx, `SELECT u.code, u.name, u.grid_code, u.geom, o.number, +o.start_at, +o.end_at
		FROM order_targets t JOIN orders o ON o.uid = t.order_uid JOIN units u ON u.code = t.target_code
		WHERE t.target_kind = 'unit' AND o.order_type = ?1 AND o.state IN `+runningOrders+`
		AND o.start_at <= ?2 AND o.end_at > ?2 AND u.grid_code LIKE ?3 || '%'
		ORDER BY u.code, o.end_at, o.number`, string(data.OrderPatrol), gpkg.Time{Time: now}, region)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PatrolUnit
	var gb sql.RawBytes
	for rows.Next() {
		var p PatrolUnit
		var start, end gpkg.Time
		if err := rows.Scan(&p.Code, &p.Name, &p.Grid, &gb, &p.Order, &start, &end); err != nil {
			return nil, err
		}
		if len(out) > 0 && out[len(out)-1].Code == p.Code {
			continue
		}
		p.Start, p.End = start.Time, end.Time
		g, err := gpkg.DecodeGeom(gb)
		if err != nil {
			return nil, fmt.Errorf("units %s: %w", p.Code, err)
		}
		p.At, _ = g.(orb.Point)
		out = append(out, p)
	}
	return out, rows.Err()
}

// Duty is where a center stands at an instant: someone on duty, nobody on
// duty in a shift under way (a gap, as DutyGaps lists), or no shift of its
// table under way.
type Duty string

// Duty states.
const (
	DutyStaffed Duty = "staffed"
	DutyNobody  Duty = "nobody_on_duty"
	DutyNoShift Duty = "no_shift"
)

// CenterOnDuty is a center with its duty at an instant.
type CenterOnDuty struct {
	Code, Name, Region string
	Level              data.Level
	At                 orb.Point
	Duty               Duty
}

// CentersOnDuty are the centers under region (a code prefix of the
// region they serve; "": all) with their duty at now, by code: staffed
// when someone is on duty, nobody on duty when DutyGaps lists the center.
func (m *Mirror) CentersOnDuty(ctx context.Context, region string, now time.Time) ([]CenterOnDuty, error) {
	gaps, _, err := m.DutyGaps(ctx, region, now)
	if err != nil {
		return nil, err
	}
	gap := make(map[string]bool, len(gaps))
	for _, g := range gaps {
		gap[g.Code] = true
	}
	rows, err := m.DB.QueryContext(ctx, `SELECT c.code, c.name, c.level, c.region_code, c.geom,
		EXISTS (SELECT 1 FROM center_duty d WHERE d.center_code = c.code AND d.start_at <= ?2 AND d.end_at > ?2)
		FROM centers c WHERE c.region_code LIKE ?1 || '%' ORDER BY c.code`, region, gpkg.Time{Time: now})
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CenterOnDuty
	var gb sql.RawBytes
	for rows.Next() {
		var c CenterOnDuty
		var level string
		var staffed bool
		if err := rows.Scan(&c.Code, &c.Name, &level, &c.Region, &gb, &staffed); err != nil {
			return nil, err
		}
		if c.Level, err = parseCenterLevel(c.Code, level); err != nil {
			return nil, err
		}
		switch {
		case staffed:
			c.Duty = DutyStaffed
		case gap[c.Code]:
			c.Duty = DutyNobody
		default:
			c.Duty = DutyNoShift
		}
		if g, err := gpkg.DecodeGeom(gb); err == nil {
			c.At, _ = g.(orb.Point)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// DistrictValue is a district's latest value of an indicator at an
// instant, judged against its thresholds (with hysteresis from the
// severity its last evaluation gave it).
type DistrictValue struct {
	District, Name string
	At             time.Time // of the value
	Value          float64
	Baseline       float64 // 0: none
	Severity       data.Severity
}

// DistrictValues are the districts' latest values of an indicator (code)
// at or before now — from the hourly archive and the values fed, as the
// evaluation reads them — by district code; a district without a value is
// absent. An unknown indicator is an error.
func (m *Mirror) DistrictValues(ctx context.Context, code string, now time.Time) ([]DistrictValue, error) {
	defs, err := m.IndicatorDefs(ctx)
	if err != nil {
		return nil, err
	}
	var def []data.Indicator
	for _, d := range defs {
		if d.Code == code {
			def = append(def, d)
		}
	}
	if len(def) == 0 {
		return nil, fmt.Errorf("no indicator %q", code)
	}
	samples, err := latestSamples(ctx, m.DB, def, now, &archiveCache{})
	if err != nil {
		return nil, err
	}
	before := map[string]data.Severity{}
	rows, err := m.DB.QueryContext(ctx, `SELECT region_code, severity FROM indicator_status WHERE indicator_id = ?`, def[0].ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var region, sev string
		if err := rows.Scan(&region, &sev); err != nil {
			_ = rows.Close()
			return nil, err
		}
		before[region], _ = data.ParseSeverity(sev)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	districts, err := m.DB.QueryContext(ctx, `SELECT code, name FROM districts ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer districts.Close()
	var out []DistrictValue
	for districts.Next() {
		var v DistrictValue
		if err := districts.Scan(&v.District, &v.Name); err != nil {
			return nil, err
		}
		s, ok := samples[series{def[0].ID, v.District}]
		if !ok {
			continue
		}
		v.At, v.Value = s.at, s.value
		if s.baseline > 0 {
			v.Baseline = s.baseline
		}
		v.Severity = judge(&def[0], s, before[v.District])
		out = append(out, v)
	}
	return out, districts.Err()
}

// SecurityCounts are the six dimensions' counts under a region at an
// instant.
type SecurityCounts struct {
	// Police is the open police incidents reported since the instant asked.
	Police int
	// Centers, Staffed and Unstaffed: the centers, those with someone on
	// duty, those with nobody on duty in a shift under way.
	Centers, Staffed, Unstaffed int
	// Patrol is the units on patrol.
	Patrol int
	// Cameras and checkpoints, online and offline.
	CamerasOnline, CamerasOffline         int
	CheckpointsOnline, CheckpointsOffline int
	// OpinionAlerts is the open alerts of 网络舆情预警数 in the region and
	// the regions under it; OpinionDistricts the districts whose latest
	// value is at warn or alarm.
	OpinionAlerts, OpinionDistricts int
}

// SecuritySummary counts the six dimensions under region (a city,
// district, street or community code; "": all) at now, police incidents
// reported since since. Checkpoints belong to districts: a street's or
// community's are its district's. An unknown region is refused.
func (m *Mirror) SecuritySummary(ctx context.Context, region string, since, now time.Time) (SecurityCounts, error) {
	var s SecurityCounts
	if region != "" {
		if err := regionExists(ctx, m.DB, region); err != nil {
			return s, err
		}
	}
	police, err := m.PoliceIncidents(ctx, region, since, now)
	if err != nil {
		return s, err
	}
	s.Police = len(police)
	centers, err := m.CentersOnDuty(ctx, region, now)
	if err != nil {
		return s, err
	}
	s.Centers = len(centers)
	for _, c := range centers {
		switch c.Duty {
		case DutyStaffed:
			s.Staffed++
		case DutyNobody:
			s.Unstaffed++
		}
	}
	patrol, err := m.UnitsOnPatrol(ctx, region, now)
	if err != nil {
		return s, err
	}
	s.Patrol = len(patrol)
	district := region
	if len(district) > 6 {
		district = district[:6]
	}
	err = m.DB.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM cameras WHERE grid_code LIKE ?1 || '%' AND status = 'online'),
		(SELECT count(*) FROM cameras WHERE grid_code LIKE ?1 || '%' AND status != 'online'),
		(SELECT count(*) FROM checkpoints WHERE district_code LIKE ?2 || '%' AND status = 'online'),
		(SELECT count(*) FROM checkpoints WHERE district_code LIKE ?2 || '%' AND status != 'online')`, region, district).
		Scan(&s.CamerasOnline, &s.CamerasOffline, &s.CheckpointsOnline, &s.CheckpointsOffline)
	if err != nil {
		return s, err
	}
	alerts, err := m.Alerts(ctx, data.AlertFilter{OpenOnly: true, Indicator: OpinionAlertsIndicator, Region: region})
	if err != nil {
		return s, err
	}
	s.OpinionAlerts = len(alerts)
	values, err := m.DistrictValues(ctx, OpinionAlertsIndicator, now)
	if err != nil {
		return s, err
	}
	for _, v := range values {
		if v.Severity > data.Normal && (strings.HasPrefix(v.District, region) || strings.HasPrefix(region, v.District)) {
			s.OpinionDistricts++
		}
	}
	return s, nil
}
