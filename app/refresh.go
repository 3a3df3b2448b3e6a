package app

import "fyne.io/fyne/v2"

// After a change (a case reported, moved, dispatched; the minute's tick),
// everything that shows the city's status is read again: the tree's badges,
// the status board, the map's colours, case markers, dispatch lines and
// units, the case queue and the details. After a write by another
// connection (live.go) the orders, the rosters and the Monitoring tab too.

// CasesChanged brings every panel up to date after a change to cases or
// units, at the console's clock; code, if any, is the case to show.
func (c *Console) CasesChanged(code string) {
	c.AsOf = c.clock()
	c.Over.SetAsOf(c.AsOf)
	if code != "" {
		c.caseSel = code
		c.focus = code
	}
	if err := c.refreshStatus(); err != nil {
		c.showError(err)
	}
	c.showCases()
	c.refreshDetail()
	c.updateStatus()
}

// refreshStatus reads the regions' counts, the board and the map's status
// layers again.
func (c *Console) refreshStatus() error {
	regions, err := c.regionSummaries()
	if err != nil {
		return err
	}
	c.regions = regions
	for i, r := range regions {
		c.byCode[r.Code] = i
	}
	if c.Tree != nil {
		c.Tree.Refresh()
	}
	if err := c.City.Refresh(bg, c.mapSource(), c.Over, c.AsOf, c.theme); err != nil {
		return err
	}
	c.Map.Redraw()
	if c.Board != nil {
		c.ShowBoard(c.boardOf)
	}
	return nil
}

// Tick is the console's minute: the clocks move on, the cases overdue past
// their matter's grace are escalated, the orders whose window ended are
// marked overdue, and every panel shows the new time, the rosters and the
// coverage theme as they stand.
func (c *Console) Tick() error {
	now := c.Now()
	if _, err := c.M.EscalateOverdue(bg, now); err != nil {
		return err
	}
	if _, err := c.M.MarkOverdue(bg, now); err != nil {
		return err
	}
	if c.replay != nil {
		return nil // the view stays then; leaving replay reads it all again
	}
	return c.reloadAll()
}

// reloadAll reads the orders, the cases and the city's status, the
// rosters and the coverage theme again.
func (c *Console) reloadAll() error {
	if err := c.loadOrders(); err != nil {
		return err
	}
	c.Orders.Refresh()
	c.City.Map.Reload("orders")
	c.CasesChanged("")
	// Rosters changed elsewhere (another console, the command line) show
	// within the minute, or at once when the watcher sees the change.
	c.loadRosters()
	if c.theme == "coverage" {
		c.loadCoverage()
	}
	// The security counts, while their tab is shown (reading the six
	// dimensions on every change of a tab no one looks at would be waste:
	// choosing the tab reads them).
	if c.RightTabs != nil && c.securityTab != nil && c.RightTabs.Selected() == c.securityTab {
		c.RefreshSecurity()
	}
	return nil
}

// LiveChanged brings every panel up to date after the mirror changed under
// the console (another process, the live demo feed; the indicators were
// evaluated just before): the map's colours and markers, the board, the
// tree's badges, the cases, the orders, the rosters, the indicators and
// alerts (and the notice of a new alarm).
func (c *Console) LiveChanged() {
	if c.replay != nil {
		// Replay shows then: what changed now is read on leaving it.
		c.refreshSyncState()
		return
	}
	if err := c.reloadAll(); err != nil {
		fyne.LogError("reading the mirror again", err)
	}
	c.monitorFollow()
	c.loadMonitor()
	c.refreshSyncState()
}
