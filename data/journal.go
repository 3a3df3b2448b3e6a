package data

import "time"

// JournalEntry is one change a person (or the system) made through Kapok, as
// the journal keeps it. Entries are chained: each carries the hash of the one
// before it and its own hash over that and its content, so an entry edited,
// removed, inserted or moved breaks the chain (data/journal computes and
// checks it).
type JournalEntry struct {
	Seq      int64  // position in this mirror's chain, from 1
	ID       string // globally unique (UUIDv7)
	Console  string // the console (mirror) that made it
	Actor    string // login
	At       time.Time
	Kind     string // what was done: "order.issue", "order.move", "import", "demo.build", …
	Subject  string // the key of what it changed (an order's UID, a layer)
	Payload  string // canonical JSON (RFC 8785) of what changed
	PrevHash string // hex SHA-256 of the entry before ("" for the first)
	Hash     string // hex SHA-256 over PrevHash and this entry's canonical form
}

// Journal entry kinds.
const (
	KindOrderIssue = "order.issue"
	KindOrderMove  = "order.move"
	KindImport     = "import"
	KindDemoBuild  = "demo.build"
	// Cases (issue 9).
	KindCaseReport   = "case.report"
	KindCaseMove     = "case.move"
	KindCaseExtend   = "case.extend"
	KindCaseEscalate = "case.escalate"
	// Patrol rosters (issue 10).
	KindRosterPlan     = "roster.plan"
	KindRosterAssign   = "roster.assign"
	KindRosterUnassign = "roster.unassign"
	KindRosterPublish  = "roster.publish"
	KindRosterAutofill = "roster.autofill"
	KindDistrictRules  = "district.rules"
	KindUnitLeave      = "unit.leave"
	KindUnitLeaveEnd   = "unit.leave.cancel"
	KindDutyAssign     = "duty.assign"
	KindDutyRemove     = "duty.remove"
	// Monitoring (issue 11).
	KindIndicatorFeed = "indicator.feed"
	KindAlertAck      = "alert.ack"
	// Access (issue 13): logins (the actor and the subject are the login
	// tried) and the users' management (the subject is the user changed).
	KindLoginOK      = "login.ok"
	KindLoginFail    = "login.fail"
	KindLoginLock    = "login.lock"
	KindUserAdd      = "user.add"
	KindUserPassword = "user.password"
	KindUserDisable  = "user.disable"
	// Sync (issue 14): reference rows pulled from the upstream.
	KindSyncReference = "sync.reference"
	KindSyncResolve   = "sync.resolve" // a change sync rejected, marked resolved by its author
	// The innovation program (issue 16).
	KindProjectAdd       = "project.add"
	KindProjectMove      = "project.move"
	KindProjectMilestone = "project.milestone" // a milestone added or done
	KindContestRound     = "contest.round"     // a round opened with its criteria
	KindContestEnter     = "contest.enter"     // a project entered in a round
	KindContestScore     = "contest.score"
	KindProjectRollout   = "project.rollout" // a project's state in a region set
	// KindAudit is a row of the audit log that the journal replaced,
	// carried over into the chain.
	KindAudit = "audit"
)

// JournalKinds are every kind, by family in the order they came (the
// journal view's filter offers them so; a test keeps the list whole).
var JournalKinds = []string{KindOrderIssue, KindOrderMove, KindCaseReport, KindCaseMove, KindCaseExtend, KindCaseEscalate,
	KindRosterPlan, KindRosterAssign, KindRosterUnassign, KindRosterAutofill, KindRosterPublish, KindDistrictRules, KindUnitLeave,
	KindUnitLeaveEnd, KindDutyAssign, KindDutyRemove, KindIndicatorFeed, KindAlertAck, KindLoginOK, KindLoginFail, KindLoginLock,
	KindUserAdd, KindUserPassword, KindUserDisable, KindImport, KindDemoBuild, KindSyncReference, KindSyncResolve,
	KindProjectAdd, KindProjectMove, KindProjectMilestone, KindProjectRollout, KindContestRound, KindContestEnter, KindContestScore,
	KindAudit}

// JournalFilter picks journal entries; zero fields pick all.
type JournalFilter struct {
	Since time.Time
	Until time.Time // entries before it (zero: no end)
	Actor string
	Kind  string
	// Before picks the entries before that position in the chain (0: all),
	// Newest gives them newest first: a viewer's page is Before the
	// previous page's last, Newest, Limit a page.
	Before int64
	Newest bool
	Limit  int // 0 for no limit
}

// JournalCheck is the result of recomputing the chain.
type JournalCheck struct {
	Entries int64  // entries checked
	Head    string // hash of the last entry that holds
	// Bad is the first entry that does not hold (0 when the chain is whole),
	// BadID its id when it has one, and Fault what is wrong with it.
	Bad   int64
	BadID string
	Fault *Refusal
}

// OK reports whether the whole chain holds.
func (c JournalCheck) OK() bool { return c.Fault == nil }
