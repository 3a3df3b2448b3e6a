package data

// Role is what a user is for. The permission matrix that reads it comes
// with logins; today the store checks jurisdiction only.
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
var Roles = []Role{RoleSystem, RoleAdmin, RoleLeader, RoleOperator, RoleWorker}

// SystemLogin is the built-in user that imports, demo builds and the overdue
// sweep act as.
const SystemLogin = "system"

// User is a person (or the system) who changes things through Kapok.
type User struct {
	Login, Name  string
	Role         Role
	Jurisdiction string // region code prefix the user may act in; "" for the whole city
}

// Covers reports whether the user's jurisdiction covers a region or grid code.
func (u User) Covers(code string) bool {
	return len(code) >= len(u.Jurisdiction) && code[:len(u.Jurisdiction)] == u.Jurisdiction
}
