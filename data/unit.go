package data

import "github.com/paulmach/orb"

// UnitStatus is where a minimum emergency disposal unit stands.
type UnitStatus string

// Unit statuses.
const (
	UnitAvailable  UnitStatus = "available"
	UnitDispatched UnitStatus = "dispatched"
	UnitBusy       UnitStatus = "busy"
	UnitOffline    UnitStatus = "offline"
)

// UnitStatuses lists every unit status.
var UnitStatuses = []UnitStatus{UnitAvailable, UnitDispatched, UnitBusy, UnitOffline}

// Unit is a minimum emergency disposal unit.
type Unit struct {
	Code, Name, UnitType, GridCode string
	Location                       orb.Point
	Capabilities                   []string
	Status                         UnitStatus
}

// Responder roles.
const (
	RolePolice     = "police"
	RoleUnitStaff  = "unit_staff"
	RoleVolunteer  = "volunteer"
	RoleGridWorker = "grid_worker"
)
