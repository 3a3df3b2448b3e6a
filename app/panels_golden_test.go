package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// Golden images of the main panels, small, in both languages: the status
// board, a grid's detail, the legend, and the order dialog refusing an
// order. Regenerate after a deliberate change by deleting the file under
// testdata/panels and running the test (Fyne writes testdata/failed/...).
func TestGoldenPanels(t *testing.T) {
	for _, lang := range []string{"en", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			c := newTestConsole(t, "leader")
			c.SetLanguage(lang)
			c.ShowBoard("")
			board := container.NewBorder(container.NewHBox(c.BoardUp, c.BoardIn, c.BoardAt), nil, nil, nil, c.Board)
			board.Resize(fyne.NewSize(560, 170))
			test.AssertObjectRendersToImage(t, "panels/board-"+lang+".png", board)

			c.ShowDetail("990102001201001")
			c.Detail.Resize(fyne.NewSize(360, 420))
			test.AssertObjectRendersToImage(t, "panels/grid-detail-"+lang+".png", c.Detail)

			layers := c.layersBox()
			layers.Resize(fyne.NewSize(260, layers.MinSize().Height))
			test.AssertObjectRendersToImage(t, "panels/layers-"+lang+".png", layers)

			c.Legend.Resize(c.Legend.MinSize())
			test.AssertObjectRendersToImage(t, "panels/legend-"+lang+".png", c.Legend)

			d := issueDialog(t, c)
			d.Task.SetText("")
			test.Tap(d.Issue)
			c.Win.Resize(fyne.NewSize(700, 640))
			test.AssertRendersToImage(t, "panels/order-dialog-"+lang+".png", c.Win.Canvas())
		})
	}
}
