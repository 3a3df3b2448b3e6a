package app

import (
	"fmt"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
		func() fyne.CanvasObject {
			l := newTipLabel()
			l.SetText("00000")
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*tipLabel)
			if id.Row >= len(c.boardRows) {
				return
			}
			l.SetText(boardCell(c.boardRows[id.Row], id.Col))
		})
	c.Board.ShowHeaderRow = true
	c.Board.CreateHeader = func() fyne.CanvasObject { return newTipButton() }
	c.Board.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*tipButton)
		if id.Col < 0 {
			return
		}
		col := boardColumns[id.Col]
		sorted := c.boardSort == col.sort
		width := float32(math.MaxFloat32) // not fitted yet
		if id.Col < len(c.boardWidths) {
			width = c.boardWidths[id.Col]
		}
		b.Whole = T(col.title) // the tip when shortened
		b.SetText(headerText(b.Whole, width, sorted))
		b.SetIcon(nil)
		if sorted {
			b.SetIcon(theme.MenuDropDownIcon())
		}
		b.OnTapped = func() { c.SortBoard(col.sort) }
	}
	if c.boardWidth == 0 {
		c.boardWidth = 560 // until the window lays it out
	}
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
		// The whole row, whatever its cells had to cut.
		c.Status.SetText(boardRowText(c.boardRows[id.Row]))
	}
	c.ShowBoard(c.boardOf)
}

// boardPane is the board under its buttons, its columns fitted to the
// width it is given.
func (c *Console) boardPane() fyne.CanvasObject {
	return container.NewBorder(container.NewHBox(c.BoardUp, c.BoardIn, c.BoardAt), nil, nil, nil,
		container.New(&boardFit{c: c}, c.Board))
}

// boardFit lays the board out at the width it is given, fitting its
// columns to it first.
type boardFit struct{ c *Console }

func (l *boardFit) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.Width != l.c.boardWidth {
		l.c.fitBoard(size.Width)
	}
	objs[0].Resize(size)
}

func (l *boardFit) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

// fitBoard sizes the board's columns to a width. Each figure's column is
// as wide as its widest cell (figures are never cut), then, room
// permitting, as wide as its title; the region's name takes the rest, at
// least 96 (below that the board scrolls sideways). A title or name cut
// short ends in an ellipsis; choosing a row writes it whole, each figure
// with its title, in the status line.
func (c *Console) fitBoard(width float32) {
	c.boardWidth = width
	n := len(boardColumns)
	// Each column's separator, and the vertical scroll bar over the last.
	room := width - float32(n-1)*theme.SeparatorThicknessSize() - theme.ScrollBarSize()
	probe := widget.NewLabel("")
	cellWidth := func(text string) float32 {
		probe.SetText(text)
		return float32(math.Ceil(float64(probe.MinSize().Width))) + 1
	}
	widths := make([]float32, n)
	titles := make([]float32, n)
	used := float32(0)
	for i := 1; i < n; i++ {
		widths[i] = 48
		for _, r := range c.boardRows {
			// ⚠ is drawn from a fallback font, a little wider than measured.
			widths[i] = max(widths[i], cellWidth(boardCell(r, i))+4)
		}
		title := widget.NewButton(T(boardColumns[i].title), nil)
		if c.boardSort == boardColumns[i].sort {
			title.SetIcon(theme.MenuDropDownIcon())
		}
		titles[i] = title.MinSize().Width + 1
		used += widths[i]
	}
	name := float32(96)
	for _, r := range c.boardRows {
		name = max(name, cellWidth(r.Name))
	}
	// What is left after the figures and the names goes to the titles,
	// left to right; anything still over widens the names' column.
	spare := room - used - name
	for i := 1; i < n && spare > 0; i++ {
		grow := min(spare, max(0, titles[i]-widths[i]))
		widths[i] += grow
		spare -= grow
	}
	widths[0] = max(96, name+spare) // spare < 0: the names are cut
	c.boardWidths = widths
	for i, w := range widths {
		c.Board.SetColumnWidth(i, w)
	}
	c.Board.Refresh() // the titles cut to the new widths
}

// boardRowText is a board row written whole, each figure with its title.
func boardRowText(r data.BoardRow) string {
	parts := []string{r.Name}
	for i := 1; i < len(boardColumns); i++ {
		parts = append(parts, T(boardColumns[i].title)+" "+boardCell(r, i))
	}
	return strings.Join(parts, " · ")
}

// headerText is a column's title as its header shows it: whole if the
// header is wide enough, else cut to fit with an ellipsis (the status
// line writes the titles whole when a row is chosen).
func headerText(title string, width float32, sorted bool) string {
	fits := func(text string) bool {
		b := widget.NewButton(text, nil)
		if sorted {
			b.SetIcon(theme.MenuDropDownIcon())
		}
		return b.MinSize().Width <= width
	}
	if fits(title) {
		return title
	}
	runes := []rune(title)
	for n := len(runes) - 1; n > 0; n-- {
		if text := strings.TrimSpace(string(runes[:n])) + "…"; fits(text) {
			return text
		}
	}
	return "…"
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
	c.fitBoard(c.boardWidth) // the new rows' figures and names
}

// SortBoard sorts the board by a column (see data.SortBoard).
func (c *Console) SortBoard(column string) {
	if err := data.SortBoard(c.boardRows, column); err != nil {
		return
	}
	c.boardSort = column
	c.Board.UnselectAll()
	c.boardSel = -1
	c.fitBoard(c.boardWidth) // the arrow moves to another title
}

// BoardRows is the board as shown.
func (c *Console) BoardRows() []data.BoardRow { return c.boardRows }
