package journal

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// Stored is an entry as a store holds it: its position, its canonical form
// and the two hashes written beside it.
type Stored struct {
	Seq      int64
	Entry    string
	PrevHash string
	Hash     string
}

// Checker walks a chain in order of position and reports the first entry
// that does not hold. The zero Checker starts at the chain's first entry;
// one made by CheckerAfter checks a stretch of the chain on its own, so that
// stretches can be checked in parallel and joined (Join).
type Checker struct {
	h       Hasher
	n       int64
	lastSeq int64
	last    digest // hash of the last entry checked

	bad     int64 // the first entry that did not hold, 0 while all do
	problem string

	unanchored bool   // the stretch's first entry is not checked against the one before
	firstSeq   int64  // the stretch's first position, 0 before it is seen
	firstPrev  string // the hash its first entry names as the one before
}

// digest is a hash kept as bytes (none for the genesis, before the first
// entry), so that checking an entry allocates nothing.
type digest struct {
	sum [32]byte
	set bool
}

// hex is the digest as stored ("" for none).
func (d digest) hex() string {
	if !d.set {
		return ""
	}
	return hex.EncodeToString(d.sum[:])
}

// is reports whether a stored hex hash names this digest.
func (d digest) is(h string) bool {
	if !d.set {
		return h == ""
	}
	var buf [64]byte
	hex.Encode(buf[:], d.sum[:])
	return string(buf[:]) == h
}

func parseDigest(h string) (digest, error) {
	if h == "" {
		return digest{}, nil
	}
	var d digest
	if len(h) != 64 {
		return d, fmt.Errorf("hash %q is not 64 hex digits", h)
	}
	if _, err := hex.Decode(d.sum[:], []byte(h)); err != nil {
		return d, fmt.Errorf("hash %q: %w", h, err)
	}
	d.set = true
	return d, nil
}

// Stretch checks a stretch of a chain whose entry before it is unknown yet:
// its first entry's link is left to Join.
func Stretch() *Checker { return &Checker{unanchored: true} }

// Join checks that the stretch checked by next follows the one checked by c
// (positions and hashes link); it returns the position of the first entry
// of next that does not follow and why, or 0 and "". A stretch that saw no
// entries joins anything.
func (c *Checker) Join(next *Checker) (int64, string) {
	if next.firstSeq == 0 {
		return 0, ""
	}
	switch {
	case next.firstSeq != c.lastSeq+1:
		if next.firstSeq <= c.lastSeq {
			return next.firstSeq, fmt.Sprintf("position %d follows %d: entries were reordered", next.firstSeq, c.lastSeq)
		}
		return next.firstSeq, fmt.Sprintf("position %d follows %d: %d entries are missing", next.firstSeq, c.lastSeq, next.firstSeq-c.lastSeq-1)
	case !c.last.is(next.firstPrev):
		return next.firstSeq, fmt.Sprintf("it names %s as the entry before it, but the entry before it is %s: an entry before it was removed, inserted or moved",
			short(next.firstPrev), short(c.last.hex()))
	}
	c.n += next.n
	c.lastSeq, c.last = next.lastSeq, next.last
	return 0, ""
}

// Check takes the next entry of the chain. It returns "" when the entry
// holds, else what is wrong with it; once an entry is wrong, later entries
// are not checked and Check keeps returning that first problem.
func (c *Checker) Check(e Stored) string {
	if c.bad != 0 {
		return c.problem
	}
	if p := c.check(e); p != "" {
		c.bad, c.problem = e.Seq, p
	}
	return c.problem
}

// Fail marks an entry the store could not even take apart as the first that
// does not hold (unless an earlier one did not).
func (c *Checker) Fail(seq int64, problem string) {
	if c.bad == 0 {
		c.bad, c.problem = seq, problem
	}
}

// Problem is the first entry that did not hold and why (0 and "" when all
// did).
func (c *Checker) Problem() (int64, string) { return c.bad, c.problem }

func (c *Checker) check(e Stored) string {
	c.n++
	if c.firstSeq == 0 {
		c.firstSeq, c.firstPrev = e.Seq, strings.Clone(e.PrevHash)
		if c.unanchored {
			prev, err := parseDigest(e.PrevHash)
			if err != nil {
				return fmt.Sprintf("the hash it names as the entry before it is malformed (%v): it was edited", err)
			}
			c.lastSeq, c.last = e.Seq-1, prev
		}
	}
	switch {
	case e.Seq != c.lastSeq+1:
		if e.Seq <= c.lastSeq {
			return fmt.Sprintf("position %d follows %d: entries were reordered", e.Seq, c.lastSeq)
		}
		return fmt.Sprintf("position %d follows %d: %d entries are missing", e.Seq, c.lastSeq, e.Seq-c.lastSeq-1)
	case !c.last.is(e.PrevHash):
		return fmt.Sprintf("it names %s as the entry before it, but the entry before it is %s: an entry before it was removed, inserted or moved",
			short(e.PrevHash), short(c.last.hex()))
	}
	want := c.h.sum(c.last, e.Entry)
	if !want.is(e.Hash) {
		return fmt.Sprintf("its content does not match its hash (stored %s, computed %s): it was edited", short(e.Hash), short(want.hex()))
	}
	c.lastSeq, c.last = e.Seq, want
	return ""
}

// Checked is how many entries Check has been given.
func (c *Checker) Checked() int64 { return c.n }

// Head is the position and hash of the last entry that held.
func (c *Checker) Head() (int64, string) { return c.lastSeq, c.last.hex() }

// CheckHead compares the end of the chain with the head the store recorded.
// It returns "" when they agree, else the first position that does not hold
// (the first entry missing, or the first one past the head) and what is wrong.
func (c *Checker) CheckHead(seq int64, hash string) (int64, string) {
	switch {
	case seq == c.lastSeq && c.last.is(hash):
		return 0, ""
	case seq > c.lastSeq:
		return c.lastSeq + 1, fmt.Sprintf("the chain ends at entry %d but its recorded head is entry %d: entries were removed from its end", c.lastSeq, seq)
	case seq < c.lastSeq:
		return seq + 1, fmt.Sprintf("the chain goes on to entry %d past its recorded head, entry %d: entries were added outside Kapok", c.lastSeq, seq)
	}
	return c.lastSeq, fmt.Sprintf("the last entry's hash %s is not the recorded head %s", short(c.last.hex()), short(hash))
}

func short(h string) string {
	if h == "" {
		return "(none)"
	}
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
