package data

import "slices"

// Action is something a person may be allowed to do through Kapok. Every
// change the store makes on someone's behalf is one of these, checked
// against the actor's role (Permits) and jurisdiction before anything is
// written.
type Action string

// The actions. docs/ACCESS.md shows the matrix as a table; a test checks
// that the two agree.
const (
	ActOrderIssue    Action = "order.issue"   // issue an order
	ActOrderMove     Action = "order.move"    // acknowledge, start, finish, cancel an order
	ActCaseReport    Action = "case.report"   // report a case
	ActCaseHandle    Action = "case.handle"   // file, dispatch, verify, close, return, park, escalate a case
	ActCaseFeedback  Action = "case.feedback" // feed back a case dispatched to the grid
	ActCaseExtend    Action = "case.extend"   // approve a case's extension
	ActRosterEdit    Action = "roster.edit"   // plan, assign, auto-fill rosters; leave; a district's shift rules
	ActRosterPublish Action = "roster.publish"
	ActDutyEdit      Action = "duty.edit"      // a center's duty roster
	ActAlertAck      Action = "alert.ack"      // acknowledge an alert
	ActFeed          Action = "indicator.feed" // feed indicator values
	ActImport        Action = "import"         // import a layer
	ActUserAdmin     Action = "user.admin"     // add users, set passwords, disable users
	ActBrief         Action = "brief.make"     // make a briefing
	ActJournalView   Action = "journal.view"   // read the journal in the console
	ActContactView   Action = "contact.view"   // see phone numbers of responders and reporters unmasked
	ActSyncResolve   Action = "sync.resolve"   // mark one's own change that sync rejected as resolved
	ActProjectEdit   Action = "project.edit"   // propose innovation projects, move their stages, keep their milestones; contest rounds and entries
	ActContestJudge  Action = "contest.judge"  // score a contest round's entries
)

// Actions lists every action, in the matrix's order.
var Actions = []Action{ActOrderIssue, ActOrderMove, ActCaseReport, ActCaseHandle, ActCaseFeedback, ActCaseExtend,
	ActRosterEdit, ActRosterPublish, ActDutyEdit, ActAlertAck, ActFeed, ActImport, ActUserAdmin, ActBrief, ActJournalView, ActContactView, ActSyncResolve,
	ActProjectEdit, ActContestJudge}

// The roles beyond the first five (migration 0014).
const (
	RoleCommander        Role = "commander"
	RoleDistrictOperator Role = "district_operator"
	RoleStreetOperator   Role = "street_operator"
	RoleAnalyst          Role = "analyst"
)

// commandPost is what a command post's people do: cases, dispatch, orders,
// alert acknowledgement, and the rosters and duty they keep.
var commandPost = []Action{ActOrderIssue, ActOrderMove, ActCaseReport, ActCaseHandle, ActCaseFeedback, ActRosterEdit,
	ActDutyEdit, ActAlertAck, ActFeed, ActBrief, ActContactView, ActSyncResolve, ActProjectEdit}

// Permissions is the permission matrix as data: the actions each role may
// take (within the user's jurisdiction). The leadership group may do what
// a command post does and approve extensions and publish rosters; the admin
// manages users and reads the journal but takes no operational action; an
// analyst reads and makes briefings; a grid worker reports cases and feeds
// back those of the grids in their jurisdiction.
var Permissions = map[Role][]Action{
	RoleSystem:           Actions,
	RoleLeader:           append(slices.Clone(commandPost), ActCaseExtend, ActRosterPublish, ActImport, ActJournalView, ActContestJudge),
	RoleCommander:        commandPost,
	RoleOperator:         commandPost,
	RoleDistrictOperator: commandPost,
	RoleStreetOperator:   commandPost,
	RoleWorker:           {ActCaseReport, ActCaseFeedback, ActSyncResolve},
	RoleAnalyst:          {ActBrief, ActContestJudge},
	RoleAdmin:            {ActUserAdmin, ActJournalView},
}

// Permits reports whether the role may take the action.
func (r Role) Permits(a Action) bool { return slices.Contains(Permissions[r], a) }

// JurisdictionLevel is the level a role's jurisdiction must be at ("" any):
// a district operator's is a district, a street operator's a street, a grid
// worker's a community or a grid.
func (r Role) JurisdictionLevel() []int {
	switch r {
	case RoleDistrictOperator:
		return []int{LevelDistrict.CodeLength()}
	case RoleStreetOperator:
		return []int{LevelStreet.CodeLength()}
	case RoleWorker:
		return []int{LevelCommunity.CodeLength(), GridCodeLength}
	}
	return nil
}

// MaskPhone hides the middle of a phone number from those without the
// contact permission, as Chinese services print them: 13812341234 →
// 138****1234, 020-88093436 → 020-****3436. Digits are counted, other
// characters kept; a number of fewer than 7 digits shows only its last two.
func MaskPhone(s string) string {
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits == 0 {
		return s
	}
	keepHead, keepTail := 3, 4
	if digits < 7 {
		keepHead, keepTail = 0, 2
	}
	var b []rune
	i := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			if i >= keepHead && i < digits-keepTail {
				r = '*'
			}
			i++
		}
		b = append(b, r)
	}
	return string(b)
}

// ShowPhone is a phone number as the user may see it: whole with the
// contact permission, else masked.
func (u User) ShowPhone(s string) string {
	if u.Role.Permits(ActContactView) && !u.Disabled {
		return s
	}
	return MaskPhone(s)
}
