package mirror

import (
	"strings"

	"kapok/data"
)

// The state sets of the domain as SQL lists, built from data's one list of
// each so that SQL and Go never disagree on which states are open.
var (
	openStates    = sqlList(data.OpenEventStates)    // events still needing work
	runningOrders = sqlList(data.RunningOrderStates) // orders not done or cancelled
	dueOrders     = sqlList(data.DueOrderStates)     // orders that go overdue when their window ends
)

// sqlList is ('a','b',…) for IN. The values are the domain's own constants,
// quoted as SQL strings.
func sqlList[S ~string](xs []S) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = "'" + strings.ReplaceAll(string(x), "'", "''") + "'"
	}
	return "(" + strings.Join(parts, ",") + ")"
}
