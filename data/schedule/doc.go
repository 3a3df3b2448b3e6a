// Package schedule plans patrol rosters without a store: the coverage of
// grids by patrols shift by shift (Cover), the conflicts of a roster
// (Check), and in sub-package autofill the proposal of assignments. It reads
// plain values (a Plan) that a store fills; it has no SQL and no clock of
// its own.
package schedule
