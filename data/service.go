package data

import (
	"context"
	"time"

	"github.com/paulmach/orb"
)

// The services a store provides. data/mirror implements them over a SQLite
// file; a store for the city platform's PostgreSQL will be another.

// OrderService issues, moves and lists orders. Every change is checked
// against the actor's jurisdiction and written with its journal entry in one
// transaction; a refused change (a *Refusal) writes nothing.
type OrderService interface {
	IssueOrder(ctx context.Context, req OrderRequest, now time.Time) (Order, error)
	// MoveOrder moves the order named by ref (its number or UID) to a state.
	MoveOrder(ctx context.Context, ref string, to OrderState, actor string, now time.Time) (Order, error)
	// MarkOverdue moves orders whose window has ended to overdue.
	MarkOverdue(ctx context.Context, now time.Time) (int, error)
	Orders(ctx context.Context) ([]Order, error)
	// Responsible lists the centers and units that answer for grids.
	Responsible(ctx context.Context, grids []string) (centers, units []string, err error)
}

// CaseService runs cases through the workflow. Every step is checked
// against the workflow, the actor's jurisdiction and the case's version,
// and written with its history row and journal entry in one transaction; a
// refused step (a *Refusal) writes nothing.
type CaseService interface {
	ReportCase(ctx context.Context, r CaseReport, now time.Time) (CaseRow, error)
	MoveCase(ctx context.Context, mv CaseMove, now time.Time) (CaseRow, error)
	// ExtendCase pushes the deadline by one more limit (version 0: unchecked).
	ExtendCase(ctx context.Context, code, reason, actor string, version int64, now time.Time) (CaseRow, error)
	// EscalateCase hands the case to the center one level up.
	EscalateCase(ctx context.Context, code, reason, actor string, version int64, now time.Time) (CaseRow, error)
	// EscalateOverdue escalates, as the system, the cases overdue longer
	// than their matter's grace.
	EscalateOverdue(ctx context.Context, now time.Time) (int, error)
	Cases(ctx context.Context, f CaseFilter, now time.Time) ([]CaseRow, error)
	CaseCounts(ctx context.Context, f CaseFilter, now time.Time) (CaseCounts, error)
	Case(ctx context.Context, code string, now time.Time) (*CaseDetail, error)
	// MatterTypes is the catalogue of matters cases are reported under.
	MatterTypes(ctx context.Context) ([]MatterType, error)
	// Recommend ranks the units the actor may dispatch to the case, best
	// first, at most n.
	Recommend(ctx context.Context, code, actor string, n int, now time.Time) ([]Recommendation, error)
}

// UserService finds users.
type UserService interface {
	User(ctx context.Context, login string) (User, error)
}

// StatusService reads the state of the city for the console's panels.
type StatusService interface {
	RegionSummaries(ctx context.Context, asOf time.Time) ([]RegionSummary, error)
	StatusBoard(ctx context.Context, parent string, asOf time.Time) ([]BoardRow, error)
	CenterDetail(ctx context.Context, code string, asOf time.Time) (*CenterDetail, error)
	GridDetail(ctx context.Context, code string, asOf time.Time) (*GridDetail, error)
	UnitDetail(ctx context.Context, code string) (*UnitDetail, error)
	EventDetail(ctx context.Context, code string, asOf time.Time) (*EventDetail, error)
}

// MapService reads what the map draws.
type MapService interface {
	LoadGrids(ctx context.Context) ([]Grid, error)
	LoadShapes(ctx context.Context, level Level) ([]Shape, error)
	LoadUnits(ctx context.Context) ([]Unit, error)
	// UnavailableUnits maps each unit not available to its status.
	UnavailableUnits(ctx context.Context) (map[string]UnitStatus, error)
	EventsByGrid(ctx context.Context, asOf time.Time) (map[string]GridEvents, error)
	LoadOverlay(ctx context.Context, layer string, asOf time.Time) ([]MapFeature, error)
	// ActiveOrderGrids maps each grid under a running order to the order's
	// state ("overdue" wins).
	ActiveOrderGrids(ctx context.Context) (map[string]OrderState, error)
	RegionBound(ctx context.Context, code string) (orb.Bound, error)
	RegionBoundary(ctx context.Context, code string) (orb.MultiPolygon, error)
}

// JournalService reads and checks the journal of changes.
type JournalService interface {
	JournalEntries(ctx context.Context, f JournalFilter, each func(JournalEntry) error) error
	// JournalCount counts the entries the filter picks (its Limit aside).
	JournalCount(ctx context.Context, f JournalFilter) (int64, error)
	VerifyJournal(ctx context.Context) (JournalCheck, error)
}
