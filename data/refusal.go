package data

import (
	"fmt"
	"strings"
	"time"
)

// Code names why the domain refused a change. The edges (console, command
// line) turn a code and its arguments into zh-CN or English text; the domain
// never writes text for people.
type Code string

// The refusal codes. RefusalArgs lists the arguments each one carries.
const (
	CodeOrderTypeUnknown          Code = "order_type_unknown"
	CodePriorityUnknown           Code = "priority_unknown"
	CodeTaskEmpty                 Code = "task_empty"
	CodeWindowMissing             Code = "window_missing"
	CodeWindowReversed            Code = "window_reversed"
	CodeTargetsEmpty              Code = "targets_empty"
	CodeTargetNotACode            Code = "target_not_a_code"
	CodeTargetUnknown             Code = "target_unknown"
	CodeTargetOutsideJurisdiction Code = "target_outside_jurisdiction"
	CodeNotAGridCode              Code = "not_a_grid_code"
	CodeEventUnknown              Code = "event_unknown"
	CodeUserUnknown               Code = "user_unknown"
	CodeOrderUnknown              Code = "order_unknown"
	CodeOrderAmbiguous            Code = "order_ambiguous"
	CodeOrderStateUnknown         Code = "order_state_unknown"
	CodeOrderMoveNotAllowed       Code = "order_move_not_allowed"
	CodeOrderOutsideJurisdiction  Code = "order_outside_jurisdiction"
	CodeOrderNotDue               Code = "order_not_due"
	CodeRegionCodeInvalid         Code = "region_code_invalid"
	CodeRegionUnknown             Code = "region_unknown"
	CodeRecordUnknown             Code = "record_unknown"
	CodeInputInvalid              Code = "input_invalid"
	CodeMirrorMissing             Code = "mirror_missing"
	CodeMirrorNotAMirror          Code = "mirror_not_a_mirror"

	// Cases (issue 9).
	CodeCaseUnknown              Code = "case_unknown"
	CodeCaseStateUnknown         Code = "case_state_unknown"
	CodeCaseMoveNotAllowed       Code = "case_move_not_allowed"
	CodeCaseReasonRequired       Code = "case_reason_required"
	CodeCaseResultRequired       Code = "case_result_required"
	CodeCaseUnitsRequired        Code = "case_units_required"
	CodeCaseUnitsNotHere         Code = "case_units_not_here"
	CodeCaseChanged              Code = "case_changed"
	CodeCaseOutsideJurisdiction  Code = "case_outside_jurisdiction"
	CodeCaseWhereMissing         Code = "case_where_missing"
	CodeCaseWhereTwice           Code = "case_where_twice"
	CodeCaseDescriptionEmpty     Code = "case_description_empty"
	CodeCaseSourceUnknown        Code = "case_source_unknown"
	CodeMatterUnknown            Code = "matter_unknown"
	CodeGridUnknown              Code = "grid_unknown"
	CodePointInNoGrid            Code = "point_in_no_grid"
	CodeUnitUnknown              Code = "unit_unknown"
	CodeUnitNotAvailable         Code = "unit_not_available"
	CodeUnitOutsideJurisdiction  Code = "unit_outside_jurisdiction"
	CodeExtensionNotOpen         Code = "extension_not_open"
	CodeExtensionReasonRequired  Code = "extension_reason_required"
	CodeExtensionBeyondAllowance Code = "extension_beyond_allowance"
	CodeEscalationAtTop          Code = "escalation_at_top"

	// Schedules (issue 10).
	CodeWeekMalformed             Code = "week_malformed"
	CodeShiftsInvalid             Code = "shifts_invalid"
	CodeShiftUnknown              Code = "shift_unknown"
	CodeShiftOutsideWeek          Code = "shift_outside_week"
	CodeRosterUnknown             Code = "roster_unknown"
	CodeRosterChanged             Code = "roster_changed"
	CodeRosterRegion              Code = "roster_region"
	CodeRosterOutsideJurisdiction Code = "roster_outside_jurisdiction"
	CodeGridOutsideRoster         Code = "grid_outside_roster"
	CodeAssignmentUnknown         Code = "assignment_unknown"
	CodeRosterHasConflicts        Code = "roster_has_conflicts"
	CodeRosterAmbiguous           Code = "roster_ambiguous"
	CodeRulesInvalid              Code = "rules_invalid"
	CodeCenterUnknown             Code = "center_unknown"
	CodeDutyPersonEmpty           Code = "duty_person_empty"
	CodeDutyRoleUnknown           Code = "duty_role_unknown"
	CodeDutyUnknown               Code = "duty_unknown"
	CodeRouteUnknown              Code = "route_unknown"
	CodeRouteOutsideRoster        Code = "route_outside_roster"
	CodeAreaEither                Code = "area_either"
	CodeLeaveUnknown              Code = "leave_unknown"
	CodeLeaveOver                 Code = "leave_over"

	// Monitoring (issue 11).
	CodeAlertUnknown             Code = "alert_unknown"
	CodeAlertAcked               Code = "alert_acked"
	CodeAlertAmbiguous           Code = "alert_ambiguous"
	CodeAlertOutsideJurisdiction Code = "alert_outside_jurisdiction"

	// Access: a role that does not permit the action.
	CodeActionNotPermitted Code = "action_not_permitted"
	CodeUserDisabled       Code = "user_disabled"

	// Logging in and managing users (issue 13). login_failed says nothing
	// of which part was wrong: an unknown login and a wrong password must
	// read the same.
	CodeLoginFailed       Code = "login_failed"
	CodeUserLocked        Code = "user_locked"
	CodeSystemUser        Code = "system_user"
	CodePasswordNotGiven  Code = "password_not_given"
	CodePasswordTooShort  Code = "password_too_short"
	CodePasswordTooLong   Code = "password_too_long"
	CodePasswordIsLogin   Code = "password_is_login"
	CodePasswordInvalid   Code = "password_invalid"
	CodePasswordMismatch  Code = "password_mismatch"
	CodeLoginInvalid      Code = "login_invalid"
	CodeLoginTaken        Code = "login_taken"
	CodeUserNameEmpty     Code = "user_name_empty"
	CodeRoleUnknown       Code = "role_unknown"
	CodeJurisdictionLevel Code = "jurisdiction_level"
	CodeUserDisableSelf   Code = "user_disable_self"
	CodePasswordsExist    Code = "passwords_exist"

	// A briefing's output and font.
	CodeOutputKind         Code = "output_kind"
	CodeOutputFolderAbsent Code = "output_folder_absent"
	CodeOutputNotAFile     Code = "output_not_a_file"
	CodeOutputNotWritable  Code = "output_not_writable"
	CodeFontUnreadable     Code = "font_unreadable"
	CodeFontNotTrueType    Code = "font_not_truetype"
	CodeFontLacks          Code = "font_lacks_characters"

	// What a check of the journal's hash chain finds wrong. Not refusals of
	// a change but faults of the mirror, said the same way.
	CodeJournalEdited        Code = "journal_entry_edited"
	CodeJournalMissing       Code = "journal_entries_missing"
	CodeJournalReordered     Code = "journal_entries_reordered"
	CodeJournalLinkBroken    Code = "journal_link_broken"
	CodeJournalMalformed     Code = "journal_entry_malformed"
	CodeJournalCut           Code = "journal_cut"
	CodeJournalAdded         Code = "journal_added"
	CodeJournalHeadMismatch  Code = "journal_head_mismatch"
	CodeJournalHeadMalformed Code = "journal_head_malformed"

	// Sync (issue 14): a change while sync has this console's own changes
	// taken back; a second sync of one mirror at once; a console whose
	// journal no longer leads to the head the upstream holds for it.
	CodeSyncInProgress   Code = "sync_in_progress"
	CodeSyncBusy         Code = "sync_busy"
	CodeJournalBehind    Code = "journal_behind_upstream"
	CodeJournalDiverged  Code = "journal_diverged"
	CodeUpstreamRejected Code = "upstream_push_refused"
	CodeConflictUnknown  Code = "conflict_unknown"
	CodeConflictResolved Code = "conflict_resolved"
	CodeConflictNotYours Code = "conflict_not_yours"
	// kapok sync --init: the new mirror's file is there already; the
	// upstream holds no reference data to build a mirror from.
	CodeMirrorExists  Code = "mirror_exists"
	CodeUpstreamEmpty Code = "upstream_empty"
	// The upstream cannot be reached (the network, the server, the DSN).
	CodeUpstreamUnreachable Code = "upstream_unreachable"

	// The innovation program (issue 16).
	CodeProjectUnknown             Code = "project_unknown"
	CodeProjectStageUnknown        Code = "project_stage_unknown"
	CodeProjectMoveNotAllowed      Code = "project_move_not_allowed"
	CodeProjectReasonRequired      Code = "project_reason_required"
	CodeProjectTitleEmpty          Code = "project_title_empty"
	CodeProjectOutsideJurisdiction Code = "project_outside_jurisdiction"
	CodeProjectRegionLevel         Code = "project_region_level"
	CodeMilestoneInvalid           Code = "milestone_invalid"
	CodeRoundUnknown               Code = "round_unknown"
	CodeRoundExists                Code = "round_exists"
	CodeRoundOutsideJurisdiction   Code = "round_outside_jurisdiction"
	CodeCriteriaInvalid            Code = "criteria_invalid"
	CodeCriterionUnknown           Code = "criterion_unknown"
	CodeEntryNotInRound            Code = "entry_not_in_round"
	CodeScoreOutOfRange            Code = "score_out_of_range"
	CodeJudgeOwnRegion             Code = "judge_own_region"
	CodeIndicatorUnknown           Code = "indicator_unknown"
	CodeRolloutStateUnknown        Code = "rollout_state_unknown"
	CodeRolloutNotAllowed          Code = "rollout_not_allowed"
	CodeRolloutUnknown             Code = "rollout_unknown"
)

// RefusalArgs lists every code with the names of its arguments: the texts
// of both languages may use exactly these (a test checks it, and that every
// code declared in this file is listed).
var RefusalArgs = map[Code][]string{
	CodeOrderTypeUnknown:          {"type", "allowed"},
	CodePriorityUnknown:           {"priority", "allowed"},
	CodeTaskEmpty:                 nil,
	CodeWindowMissing:             nil,
	CodeWindowReversed:            {"start", "end"},
	CodeTargetsEmpty:              nil,
	CodeTargetNotACode:            {"target"},
	CodeTargetUnknown:             {"kind", "target"},
	CodeTargetOutsideJurisdiction: {"kind", "target", "jurisdiction"},
	CodeNotAGridCode:              {"code"},
	CodeEventUnknown:              {"event"},
	CodeUserUnknown:               {"user"},
	CodeOrderUnknown:              {"order"},
	CodeOrderAmbiguous:            {"order"},
	CodeOrderStateUnknown:         {"state", "allowed"},
	CodeOrderMoveNotAllowed:       {"order", "from", "to"},
	CodeOrderOutsideJurisdiction:  {"order", "kind", "target", "jurisdiction"},
	CodeOrderNotDue:               {"order", "end"},
	CodeRegionCodeInvalid:         {"code"},
	CodeRegionUnknown:             {"kind", "code"},
	CodeRecordUnknown:             {"kind", "code"},
	CodeInputInvalid:              {"file", "record", "reason"},
	CodeMirrorMissing:             {"path"},
	CodeMirrorNotAMirror:          {"path"},
	CodeActionNotPermitted:        {"user", "role", "action"},
	CodeUserDisabled:              {"user"},
	CodeLoginFailed:               nil,
	CodeUserLocked:                {"user", "until"}, // until: an instant
	CodeSystemUser:                {"user"},
	CodePasswordNotGiven:          {"variable"},
	CodePasswordTooShort:          {"min"},
	CodePasswordTooLong:           {"max"},
	CodePasswordIsLogin:           nil,
	CodePasswordInvalid:           nil,
	CodePasswordMismatch:          nil,
	CodeLoginInvalid:              {"login"},
	CodeLoginTaken:                {"login"},
	CodeUserNameEmpty:             nil,
	CodeRoleUnknown:               {"role", "allowed"},
	CodeJurisdictionLevel:         {"role", "jurisdiction", "level"}, // role and level: terms
	CodeUserDisableSelf:           {"user"},
	CodePasswordsExist:            nil,
	CodeOutputKind:                {"path"},
	CodeOutputFolderAbsent:        {"path", "folder"},
	CodeOutputNotAFile:            {"path"},
	CodeOutputNotWritable:         {"path", "reason"},
	CodeFontUnreadable:            {"path", "reason"},
	CodeFontNotTrueType:           {"path"},
	CodeFontLacks:                 {"path", "count", "characters"},
	CodeCaseUnknown:               {"case"},
	CodeCaseStateUnknown:          {"state", "allowed"},
	CodeCaseMoveNotAllowed:        {"case", "from", "to"},
	CodeCaseReasonRequired:        {"to"},
	CodeCaseResultRequired:        nil,
	CodeCaseUnitsRequired:         nil,
	CodeCaseUnitsNotHere:          {"to"},
	CodeCaseChanged:               {"case"},
	CodeCaseOutsideJurisdiction:   {"case", "grid", "jurisdiction"},
	CodeCaseWhereMissing:          nil,
	CodeCaseWhereTwice:            nil,
	CodeCaseDescriptionEmpty:      nil,
	CodeCaseSourceUnknown:         {"source", "allowed"},
	CodeMatterUnknown:             {"matter"},
	CodeGridUnknown:               {"grid"},
	CodePointInNoGrid:             {"lon", "lat"},
	CodeUnitUnknown:               {"unit"},
	CodeUnitNotAvailable:          {"unit", "status"},
	CodeUnitOutsideJurisdiction:   {"unit", "jurisdiction"},
	CodeExtensionNotOpen:          {"case", "state"},
	CodeExtensionReasonRequired:   nil,
	CodeExtensionBeyondAllowance:  {"case", "allowed"},
	CodeEscalationAtTop:           {"case"},
	CodeWeekMalformed:             {"week"},
	CodeShiftsInvalid:             {"shift"},
	CodeShiftUnknown:              {"shift"},
	CodeShiftOutsideWeek:          {"shift", "week"},
	CodeRosterUnknown:             {"roster"},
	CodeRosterChanged:             {"roster"},
	CodeRosterRegion:              {"code"},
	CodeRosterOutsideJurisdiction: {"region", "jurisdiction"},
	CodeGridOutsideRoster:         {"grid", "region"},
	CodeAssignmentUnknown:         {"unit", "grid", "shift"},
	CodeRosterHasConflicts:        {"roster", "count"},
	CodeRosterAmbiguous:           {"roster"},
	CodeRulesInvalid:              {"what", "kind", "shift"}, // what a term (RuleTerms); kind and shift, terms, of a required count
	CodeCenterUnknown:             {"center"},
	CodeDutyPersonEmpty:           nil,
	CodeDutyRoleUnknown:           {"role"},
	CodeDutyUnknown:               {"duty"},
	CodeRouteUnknown:              {"route"},
	CodeRouteOutsideRoster:        {"route", "region"},
	CodeAreaEither:                nil,
	CodeLeaveUnknown:              {"leave"},
	CodeLeaveOver:                 {"leave", "end"},
	CodeAlertUnknown:              {"alert"},
	CodeAlertAcked:                {"alert"},
	CodeAlertAmbiguous:            {"alert"},
	CodeAlertOutsideJurisdiction:  {"alert", "jurisdiction"},
	CodeJournalEdited:             {"entry"},
	CodeJournalMissing:            {"entry", "after", "count"},
	CodeJournalReordered:          {"entry", "after"},
	CodeJournalLinkBroken:         {"entry"},
	CodeJournalMalformed:          {"entry", "what"},
	CodeJournalCut:                {"last", "head"},
	CodeJournalAdded:              {"head", "last"},
	CodeJournalHeadMismatch:       {"entry"},
	CodeJournalHeadMalformed:      {"head"},
	CodeSyncInProgress:            nil,
	CodeSyncBusy:                  {"mirror"},
	CodeJournalBehind:             {"local", "upstream"},
	CodeJournalDiverged:           {"entry"},
	CodeUpstreamRejected:          {"entry", "why"},
	CodeConflictUnknown:           {"entry"},
	CodeConflictResolved:          {"entry"},
	CodeConflictNotYours:          {"entry", "author"},
	CodeUpstreamUnreachable:       {"why"},
	CodeMirrorExists:              {"path"},
	CodeUpstreamEmpty:             nil,

	// The innovation program (issue 16).
	CodeProjectUnknown:             {"project"},
	CodeProjectStageUnknown:        {"stage", "allowed"},
	CodeProjectMoveNotAllowed:      {"project", "from", "to"}, // from, to: terms (stage.…)
	CodeProjectReasonRequired:      {"project"},
	CodeProjectTitleEmpty:          nil,
	CodeProjectOutsideJurisdiction: {"region", "jurisdiction"},
	CodeProjectRegionLevel:         {"region"},
	CodeMilestoneInvalid:           {"project"},
	CodeRoundUnknown:               {"round"},
	CodeRoundExists:                {"round"},
	CodeRoundOutsideJurisdiction:   {"round", "jurisdiction"},
	CodeCriteriaInvalid:            {"criterion"},
	CodeCriterionUnknown:           {"criterion", "round"},
	CodeEntryNotInRound:            {"project", "round"},
	CodeScoreOutOfRange:            {"criterion", "value", "max"},
	CodeJudgeOwnRegion:             {"project", "region", "jurisdiction"},
	CodeIndicatorUnknown:           {"indicator"},
	CodeRolloutStateUnknown:        {"state", "allowed"},
	CodeRolloutNotAllowed:          {"project", "state", "stage"}, // state, stage: terms
	CodeRolloutUnknown:             {"project", "region"},
}

// ArgKind tells an edge how to show an argument.
type ArgKind int

// Argument kinds.
const (
	ArgValue ArgKind = iota // shown as it is: a code, a number, a name
	ArgTerm                 // a domain word ("grid", "issued"): translated
	ArgTime                 // an instant, RFC 3339: shown in the reader's time zone
)

// Arg is one argument of a refusal.
type Arg struct {
	Name, Value string
	Kind        ArgKind
}

// Value is an argument shown as it is.
func Value(name string, v any) Arg { return Arg{Name: name, Value: fmt.Sprint(v)} }

// Term is an argument that is a domain word, translated at the edge.
func Term[S ~string](name string, v S) Arg { return Arg{Name: name, Value: string(v), Kind: ArgTerm} }

// Time is an argument that is an instant.
func Time(name string, t time.Time) Arg {
	return Arg{Name: name, Value: t.UTC().Format(time.RFC3339), Kind: ArgTime}
}

// Refusal is a change the domain refused before writing anything.
type Refusal struct {
	Code  Code
	Field string // the input at fault, for a form to point at; "" for none
	Args  []Arg
}

// Refuse makes a refusal.
func Refuse(code Code, field string, args ...Arg) *Refusal {
	return &Refusal{Code: code, Field: field, Args: args}
}

// Arg returns the value of the named argument ("" when absent).
func (r *Refusal) Arg(name string) string {
	for _, a := range r.Args {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// Error is the code and its arguments, for logs and tests; people read the
// text an edge makes of it.
func (r *Refusal) Error() string {
	if len(r.Args) == 0 {
		return string(r.Code)
	}
	parts := make([]string, len(r.Args))
	for i, a := range r.Args {
		parts[i] = fmt.Sprintf("%s=%q", a.Name, a.Value)
	}
	return string(r.Code) + " (" + strings.Join(parts, " ") + ")"
}

// InputError is bad outside input (a file to import, a catalogue): it names
// the file, the record and why. Its reason is the parser's own words, in
// English.
type InputError struct {
	File   string
	Record string // "feature 12 (code 440111021200001)", "line 7", or ""
	Reason string
}

func (e *InputError) Error() string {
	if e.Record == "" {
		return fmt.Sprintf("%s: %s", e.File, e.Reason)
	}
	return fmt.Sprintf("%s: %s: %s", e.File, e.Record, e.Reason)
}

// Refusal is the input error as a refusal code with its arguments.
func (e *InputError) Refusal() *Refusal {
	return Refuse(CodeInputInvalid, "", Value("file", e.File), Value("record", e.Record), Value("reason", e.Reason))
}

// RuleTerms name the patrol rules a rules_invalid refusal points at.
var RuleTerms = []string{"max shifts", "min rest", "high-risk extra", "required patrols"}

// Terms lists every domain word a refusal may carry as a Term argument, so
// that the edges can be checked to translate them all.
var Terms = func() []string {
	out := []string{"event", "region"}
	for _, k := range []TargetKind{TargetCenter, TargetUnit, TargetGrid} {
		out = append(out, string(k))
	}
	for _, l := range Levels {
		out = append(out, l.String())
	}
	for _, s := range OrderStates {
		out = append(out, string(s))
	}
	for _, s := range EventStates {
		out = append(out, string(s))
	}
	for _, s := range UnitStatuses {
		out = append(out, string(s))
	}
	for _, r := range Roles {
		out = append(out, string(r))
	}
	for _, a := range Actions {
		out = append(out, string(a))
	}
	for _, s := range Stages {
		out = append(out, s.Term())
	}
	for _, s := range RolloutStates {
		out = append(out, s.Term())
	}
	out = append(out, RuleTerms...)
	out = append(out, GridResidential, GridVillage, GridCommercial, GridIndustrial, GridSpecial)
	for _, d := range DefaultShifts {
		out = append(out, d.Name)
	}
	return out
}()
