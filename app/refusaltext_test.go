package app

import (
	"strings"
	"testing"
)

// What the domain refuses reaches the person at the console as a sentence
// in the console's language, not as a code.
func TestRefusalsReadAsSentences(t *testing.T) {
	c := newTestConsole(t, "leader")
	c.Choose("123")
	if got := c.Status.Text; !strings.Contains(got, `"123" is not a 4, 6, 9, 12 or 15-digit region or grid code`) {
		t.Fatalf("status after choosing 123: %q", got)
	}
	c.SetLanguage("zh-CN")
	c.Choose("990109")
	if got := c.Status.Text; !strings.Contains(got, "没有代码为 990109 的区") {
		t.Fatalf("status after choosing an unknown district in Chinese: %q", got)
	}
	c.SetLanguage("en")
}
