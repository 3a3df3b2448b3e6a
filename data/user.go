package data

// Role is what a user is for: the actions it permits are the permission
// matrix (access.go).
type Role string

// Roles.
const (
	RoleSystem   Role = "system"
	RoleAdmin    Role = "admin"
	RoleLeader   Role = "leader"
	RoleOperator Role = "operator"
	RoleWorker   Role = "grid_worker"
)

// Roles lists every role.
var Roles = []Role{RoleSystem, RoleAdmin, RoleLeader, RoleCommander, RoleOperator, RoleDistrictOperator, RoleStreetOperator,
	RoleWorker, RoleAnalyst}

// SystemLogin is the built-in user that imports, demo builds and the overdue
// sweep act as.
const SystemLogin = "system"

// User is a person (or the system) who changes things through Kapok.
type User struct {
	Login, Name  string
	Role         Role
	Jurisdiction string // region code prefix the user may act in; "" for the whole city
	Disabled     bool   // may no longer log in or act (kept: the journal and orders name them)
}

// Covers reports whether the user's jurisdiction covers a region or grid code.
func (u User) Covers(code string) bool {
	return len(code) >= len(u.Jurisdiction) && code[:len(u.Jurisdiction)] == u.Jurisdiction
}
