package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kapok/data"
)

// boardColumns are the status board's columns and the sort key of each.
var boardColumns = []struct{ title, sort string }{
	{"Region", "name"}, {"Open", "open"}, {"Overdue", "overdue"}, {"On time", "ontime"},
	{"Available", "available"}, {"Dispatched", "dispatched"}, {"No one on duty", "unstaffed"},
}

func (c *Console) buildBoard() {
	c.BoardAt = widget.NewLabel("")
	c.BoardUp = widget.NewButtonWithIcon(T("Up"), theme.MoveUpIcon(), func() {
		switch len(c.boardOf) {
		case 9:
			c.ShowBoard(c.boardOf[:6])
		case 6:
			c.ShowBoard("")
		}
	})
	c.BoardIn = widget.NewButtonWithIcon(T("Drill down"), theme.NavigateNextIcon(), func() {
		if c.boardSel >= 0 && c.boardSel < len(c.boardRows) && len(c.boardOf) < 9 {
			c.ShowBoard(c.boardRows[c.boardSel].Code)
		}
	})
	c.Board = widget.NewTable(
		func() (int, int) { return len(c.boardRows), len(boardColumns) },
		func() fyne.CanvasObject { return widget.NewLabel("00000000000") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row >= len(c.boardRows) {
				return
			}
			l.SetText(boardCell(c.boardRows[id.Row], id.Col))
		})
	c.Board.ShowHeaderRow = true
	c.Board.CreateHeader = func() fyne.CanvasObject { return widget.NewButton("", nil) }
	c.Board.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Col < 0 {
			return
		}
		col := boardColumns[id.Col]
		b.SetText(T(col.title))
		b.SetIcon(nil)
		if c.boardSort == col.sort {
			b.SetIcon(theme.MenuDropDownIcon())
		}
		b.OnTapped = func() { c.SortBoard(col.sort) }
	}
	c.Board.SetColumnWidth(0, 150)
	c.Board.OnSelected = func(id widget.TableCellID) {
		if id.Row < 0 || id.Row >= len(c.boardRows) {
			return
		}
		c.boardSel = id.Row
		c.BoardIn.Enable()
		if len(c.boardOf) >= 9 {
			c.BoardIn.Disable()
		}
		c.Choose(c.boardRows[id.Row].Code)
	}
	c.ShowBoard(c.boardOf)
}

func boardCell(r data.BoardRow, col int) string {
	switch col {
	case 0:
		return r.Name
	case 1:
		return fmt.Sprint(r.Open)
	case 2:
		return fmt.Sprint(r.Overdue)
	case 3:
		if r.OnTimeRate() < 0 {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", 100*r.OnTimeRate())
	case 4:
		return fmt.Sprint(r.UnitsAvailable)
	case 5:
		return fmt.Sprint(r.UnitsDispatched)
	}
	// Centers (the region's and those below) with nobody on duty in the
	// shift under way: flagged, as they should be none.
	if r.Unstaffed > 0 {
		return fmt.Sprintf("⚠ %d", r.Unstaffed)
	}
	return "0"
}

// ShowBoard shows the status of the regions below parent ("" for the
// districts).
func (c *Console) ShowBoard(parent string) {
	rows, err := c.statusBoard(parent)
	if err != nil {
		c.BoardAt.SetText(c.text(err))
		return
	}
	if err := data.SortBoard(rows, c.boardSort); err != nil {
		c.BoardAt.SetText(c.text(err))
		return
	}
	c.boardOf, c.boardRows, c.boardSel = parent, rows, -1
	if parent == "" {
		c.BoardAt.SetText(T("Districts"))
	} else {
		c.BoardAt.SetText(c.regionName(parent))
	}
	if parent == "" {
		c.BoardUp.Disable()
	} else {
		c.BoardUp.Enable()
	}
	c.BoardIn.Disable()
	c.Board.UnselectAll()
	c.Board.Refresh()
}

// SortBoard sorts the board by a column (see data.SortBoard).
func (c *Console) SortBoard(column string) {
	if err := data.SortBoard(c.boardRows, column); err != nil {
		return
	}
	c.boardSort = column
	c.Board.UnselectAll()
	c.boardSel = -1
	c.Board.Refresh()
}

// BoardRows is the board as shown.
func (c *Console) BoardRows() []data.BoardRow { return c.boardRows }
