package journal

import (
	"encoding/hex"
	"fmt"
	"strings"

	"kapok/data"
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
// that does not hold, as a fault: a code with arguments (data.CodeJournal…)
// that the edges turn into text. The zero Checker starts at the chain's
// first entry; one made by Stretch checks a stretch of the chain on its own,
// so that stretches can be checked in parallel and joined (Join).
type Checker struct {
	h       Hasher
	n       int64
	lastSeq int64
	last    digest // hash of the last entry checked

	fault *data.Refusal // the first entry that did not hold, nil while all do
	bad   int64

	unanchored bool   // the stretch's first entry is not checked against the one before
	seen       bool   // the stretch has had its first entry
	firstSeq   int64  // the stretch's first position
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
	if !IsHash(h) {
		return d, fmt.Errorf("hash %q is not 64 lowercase hex digits", h)
	}
	if _, err := hex.Decode(d.sum[:], []byte(h)); err != nil {
		return d, fmt.Errorf("hash %q: %w", h, err)
	}
	d.set = true
	return d, nil
}

// IsHash reports whether s has the form of a stored hash: 64 lowercase hex
// digits.
func IsHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	var bad byte
	for i := 0; i < 64; i++ {
		bad |= notHex[s[i]]
	}
	return bad == 0
}

// notHex is 1 for every byte that is not a lowercase hex digit.
var notHex = func() (t [256]byte) {
	for i := range t {
		if !('0' <= i && i <= '9' || 'a' <= i && i <= 'f') {
			t[i] = 1
		}
	}
	return t
}()

func entryArg(seq int64) data.Arg { return data.Value("entry", seq) }

// Stretch checks a stretch of a chain whose entry before it is unknown yet:
// its first entry's link is left to Join.
func Stretch() *Checker { return &Checker{unanchored: true} }

// Join checks that the stretch checked by next follows the one checked by c
// (positions and hashes link) and, if so, makes c the check of both. It
// returns the fault of the first entry of next that does not follow, or nil.
// A stretch that saw no entries joins anything.
func (c *Checker) Join(next *Checker) *data.Refusal {
	if !next.seen {
		return nil
	}
	if f := c.follows(next.firstSeq, next.firstPrev); f != nil {
		return f
	}
	c.n += next.n
	c.lastSeq, c.last = next.lastSeq, next.last
	return nil
}

// follows is the fault of an entry at seq naming prev as the one before it,
// after the last entry checked (nil when it follows).
func (c *Checker) follows(seq int64, prev string) *data.Refusal {
	switch {
	case seq <= c.lastSeq:
		return data.Refuse(data.CodeJournalReordered, "", entryArg(seq), data.Value("after", c.lastSeq))
	case seq != c.lastSeq+1:
		return data.Refuse(data.CodeJournalMissing, "", entryArg(seq), data.Value("after", c.lastSeq),
			data.Value("count", seq-c.lastSeq-1))
	case !c.last.is(prev):
		return data.Refuse(data.CodeJournalLinkBroken, "", entryArg(seq))
	}
	return nil
}

// Check takes the next entry of the chain. It returns nil when the entry
// holds, else its fault; once an entry is wrong, later entries are not
// checked and Check keeps returning that first fault.
func (c *Checker) Check(e Stored) *data.Refusal {
	if c.fault == nil {
		if f := c.check(e); f != nil {
			c.fault, c.bad = f, e.Seq
		}
	}
	return c.fault
}

// Fail marks an entry the store could not even take apart as the first that
// does not hold (unless an earlier one did not).
func (c *Checker) Fail(seq int64, what string) {
	if c.fault == nil {
		c.fault, c.bad = data.Refuse(data.CodeJournalMalformed, "", entryArg(seq), data.Value("what", what)), seq
	}
}

// Fault is the first entry that did not hold and its fault (0 and nil when
// all did).
func (c *Checker) Fault() (int64, *data.Refusal) { return c.bad, c.fault }

func (c *Checker) check(e Stored) *data.Refusal {
	c.n++
	if !c.seen {
		c.seen, c.firstSeq, c.firstPrev = true, e.Seq, strings.Clone(e.PrevHash)
		if c.unanchored {
			prev, err := parseDigest(e.PrevHash)
			if err != nil {
				return data.Refuse(data.CodeJournalMalformed, "", entryArg(e.Seq), data.Value("what", "prev_hash"))
			}
			c.lastSeq, c.last = e.Seq-1, prev
		}
	}
	if f := c.follows(e.Seq, e.PrevHash); f != nil {
		return f
	}
	if !IsHash(e.Hash) {
		return data.Refuse(data.CodeJournalMalformed, "", entryArg(e.Seq), data.Value("what", "hash"))
	}
	want := c.h.sum(c.last, e.Entry)
	if !want.is(e.Hash) {
		return data.Refuse(data.CodeJournalEdited, "", entryArg(e.Seq))
	}
	c.lastSeq, c.last = e.Seq, want
	return nil
}

// Checked is how many entries Check has been given.
func (c *Checker) Checked() int64 { return c.n }

// Head is the position and hash of the last entry that held.
func (c *Checker) Head() (int64, string) { return c.lastSeq, c.last.hex() }

// CheckHead compares the end of the chain with the head the store recorded
// in the same snapshot as the chain's last position. It returns the first
// position that does not hold and its fault, or 0 and nil.
func (c *Checker) CheckHead(seq int64, hash string) (int64, *data.Refusal) {
	switch {
	case seq == c.lastSeq && c.last.is(hash):
		return 0, nil
	case seq > c.lastSeq:
		return c.lastSeq + 1, data.Refuse(data.CodeJournalCut, "", data.Value("last", c.lastSeq), data.Value("head", seq))
	case seq < c.lastSeq:
		return seq + 1, data.Refuse(data.CodeJournalAdded, "", data.Value("head", seq), data.Value("last", c.lastSeq))
	}
	return c.lastSeq, data.Refuse(data.CodeJournalHeadMismatch, "", entryArg(c.lastSeq))
}
