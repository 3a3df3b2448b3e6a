package journal

import (
	"fmt"
	"strings"
	"testing"

	"kapok/data"
)

// chain makes n valid stored entries.
func chain(t testing.TB, n int) []Stored {
	var h Hasher
	out := make([]Stored, n)
	prev := ""
	for i := range out {
		f := Fields{ID: fmt.Sprintf("id-%d", i+1), Console: "c", Actor: "leader", At: fmt.Sprintf("2026-11-25T08:%02d:00.000Z", i%60),
			Kind: "order.move", Subject: fmt.Sprintf("order-%d", i%7), Payload: fmt.Sprintf(`{"from":"issued","n":%d}`, i)}
		hash, err := h.Hash(prev, f)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = Stored{Seq: int64(i + 1), Entry: Canonical(f), PrevHash: prev, Hash: hash}
		prev = hash
	}
	return out
}

// check runs a chain through a Checker; it returns the position of the first
// bad entry (0 if none) and its fault.
func check(es []Stored, headSeq int64, headHash string) (int64, *data.Refusal) {
	var c Checker
	for _, e := range es {
		if f := c.Check(e); f != nil {
			return e.Seq, f
		}
	}
	return c.CheckHead(headSeq, headHash)
}

func TestCheckerFindsTheFirstBadEntry(t *testing.T) {
	es := chain(t, 10)
	head := es[9]
	if bad, f := check(es, head.Seq, head.Hash); bad != 0 || f != nil {
		t.Fatalf("a whole chain reported bad at %d: %v", bad, f)
	}
	cases := []struct {
		name string
		edit func([]Stored) []Stored
		bad  int64
		code data.Code
	}{
		{"edited", func(es []Stored) []Stored { es[4].Entry = strings.Replace(es[4].Entry, "issued", "done", 1); return es }, 5, data.CodeJournalEdited},
		{"deleted", func(es []Stored) []Stored { return append(es[:3], es[4:]...) }, 5, data.CodeJournalMissing},
		{"deleted and renumbered", func(es []Stored) []Stored {
			es = append(es[:3], es[4:]...)
			for i := range es {
				es[i].Seq = int64(i + 1)
			}
			return es
		}, 4, data.CodeJournalLinkBroken},
		{"inserted", func(es []Stored) []Stored {
			f, err := Parse(es[2].Entry)
			if err != nil {
				t.Fatal(err)
			}
			f.ID = "forged"
			fake := Stored{Entry: Canonical(f), PrevHash: es[2].Hash} // a careful forger links it in
			var h Hasher
			fake.Hash, _ = h.Hash(fake.PrevHash, f)
			out := append([]Stored{}, es[:3]...)
			out = append(out, fake)
			out = append(out, es[3:]...)
			for i := range out {
				out[i].Seq = int64(i + 1)
			}
			return out
		}, 5, data.CodeJournalLinkBroken},
		{"reordered", func(es []Stored) []Stored {
			es[5], es[6] = es[6], es[5]
			es[5].Seq, es[6].Seq = 6, 7
			return es
		}, 6, data.CodeJournalLinkBroken},
		{"tail cut", func(es []Stored) []Stored { return es[:8] }, 9, data.CodeJournalCut},
		{"hash malformed", func(es []Stored) []Stored { es[2].Hash = strings.ToUpper(es[2].Hash); return es }, 3, data.CodeJournalMalformed},
	}
	for _, c := range cases {
		es := c.edit(chain(t, 10))
		bad, f := check(es, head.Seq, head.Hash)
		if bad != c.bad || f == nil || f.Code != c.code {
			t.Errorf("%s: first bad entry %d (%v), want %d with %s", c.name, bad, f, c.bad, c.code)
		}
	}
}

// BenchmarkHashMillionEntries is the hashing part of checking a chain of a
// million entries, without a store: 1,000 passes over 1,000 entries.
func BenchmarkHashMillionEntries(b *testing.B) {
	es := chain(b, 1000)
	var h Hasher
	b.ResetTimer()
	for range b.N {
		for range 1000 {
			var prev digest
			for _, e := range es {
				prev = h.sum(prev, e.Entry)
			}
		}
	}
}

// A chain checked as stretches and joined finds the same first bad entry as
// one checked from the start.
func TestStretchesJoinLikeOneWalk(t *testing.T) {
	for _, edit := range []func([]Stored) []Stored{
		func(es []Stored) []Stored { return es },
		func(es []Stored) []Stored { es[3].Entry = strings.Replace(es[3].Entry, "leader", "x", 1); return es },
		func(es []Stored) []Stored { return append(es[:5], es[6:]...) },       // a gap at a boundary
		func(es []Stored) []Stored { es[5], es[6] = es[6], es[5]; return es }, // across a boundary
		func(es []Stored) []Stored { es[5].PrevHash = es[3].Hash; return es }, // a bad link at a boundary
		func(es []Stored) []Stored { es[8].Entry += " "; return es },
	} {
		es := edit(chain(t, 10))
		wantBad, want := check(es, es[len(es)-1].Seq, es[len(es)-1].Hash)
		parts := []*Checker{{}}
		for i, e := range es {
			if i == 5 || i == 8 {
				parts = append(parts, Stretch())
			}
			_ = parts[len(parts)-1].Check(e) // the fault is read back by Fault
		}
		var gotBad int64
		var got *data.Refusal
		for i, p := range parts {
			if i > 0 {
				if got = parts[0].Join(p); got != nil {
					gotBad = p.firstSeq
				}
			}
			if got == nil {
				gotBad, got = p.Fault()
			}
			if got != nil {
				break
			}
		}
		if got == nil {
			last := es[len(es)-1]
			gotBad, got = parts[0].CheckHead(last.Seq, last.Hash)
		}
		if gotBad != wantBad || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("stretches: %d %v; one walk: %d %v", gotBad, got, wantBad, want)
		}
	}
}

func TestIsHash(t *testing.T) {
	good := strings.Repeat("0123456789abcdef", 4)
	if !IsHash(good) || IsHash(good[:63]) || IsHash(good+"0") || IsHash(strings.ToUpper(good)) || IsHash(strings.Replace(good, "a", "g", 1)) || IsHash("") {
		t.Fatal("IsHash wrong")
	}
}
