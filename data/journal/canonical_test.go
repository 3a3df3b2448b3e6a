package journal

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/gowebpki/jcs"
)

// jcsOf is the reference: the JCS library over the same object.
func jcsOf(t testing.TB, f Fields) string {
	obj := map[string]any{"actor": f.Actor, "at": f.At, "console": f.Console, "id": f.ID, "kind": f.Kind,
		"payload": json.RawMessage(f.Payload), "subject": f.Subject}
	b, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	c, err := jcs.Transform(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(c)
}

func TestCanonicalFormIsJCS(t *testing.T) {
	payload, err := Payload(map[string]any{"task": "巡逻 <b>&", "n": 3, "targets": []string{"b", "a"}, "z": nil, "a\u2028": "\u007f"})
	if err != nil {
		t.Fatal(err)
	}
	if payload != `{"a`+"\u2028"+`":"`+"\u007f"+`","n":3,"targets":["b","a"],"task":"巡逻 <b>&","z":null}` {
		t.Fatalf("payload %s", payload)
	}
	for _, f := range []Fields{
		{ID: "0190f8a0-0000-7000-8000-000000000001", Console: "c", Actor: "leader", At: "2026-11-25T08:00:00.000Z", Kind: "order.issue", Subject: "s", Payload: payload},
		{Actor: "quote\" back\\ tab\t nl\n cr\r ff\f bs\b nul\x00 us\x1f del\x7f", At: "", Kind: "<>&/", Subject: "\u2028\u2029 ✓ 𝄞", Payload: `[]`},
	} {
		if got, want := string(AppendCanonical(nil, f)), jcsOf(t, f); got != want {
			t.Errorf("canonical\n got %s\nwant %s", got, want)
		}
	}
}

func FuzzCanonicalFormIsJCS(f *testing.F) {
	f.Add("leader", "2026-11-25T08:00:00.000Z", "order.issue", "x\"\\\n\x01\u2028")
	f.Fuzz(func(t *testing.T, actor, at, kind, subject string) {
		for _, s := range []string{actor, at, kind, subject} {
			if !utf8.ValidString(s) {
				return // JCS is defined on valid Unicode only
			}
		}
		fl := Fields{ID: "id", Console: "c", Actor: actor, At: at, Kind: kind, Subject: subject, Payload: `{"a":1}`}
		if got, want := string(AppendCanonical(nil, fl)), jcsOf(t, fl); got != want {
			t.Fatalf("canonical\n got %q\nwant %q", got, want)
		}
	})
}

// The first entry hashes over 32 zero bytes; each next one over the hash
// before it; a change to any field changes the hash.
func TestHashChains(t *testing.T) {
	var h Hasher
	f := Fields{ID: "1", Console: "c", Actor: "a", At: "t", Kind: "k", Subject: "s", Payload: "{}"}
	h1, err := h.Hash("", f)
	if err != nil || len(h1) != 64 {
		t.Fatal(h1, err)
	}
	h2, _ := h.Hash(h1, f)
	if h2 == h1 {
		t.Fatal("the previous hash does not enter the hash")
	}
	for _, edit := range []func(*Fields){
		func(f *Fields) { f.ID = "2" }, func(f *Fields) { f.Console = "d" }, func(f *Fields) { f.Actor = "b" },
		func(f *Fields) { f.At = "u" }, func(f *Fields) { f.Kind = "l" }, func(f *Fields) { f.Subject = "t" },
		func(f *Fields) { f.Payload = `{"x":1}` },
	} {
		g := f
		edit(&g)
		if x, _ := h.Hash("", g); x == h1 {
			t.Errorf("edit %+v leaves the hash unchanged", g)
		}
	}
	if _, err := h.Hash("zz", f); err == nil {
		t.Fatal("a malformed previous hash accepted")
	}
	// What a store keeps reads back as the same fields and hashes the same.
	back, err := Parse(Canonical(f))
	if err != nil || back != f {
		t.Fatalf("parsed back %+v, %v", back, err)
	}
	if d := h.sum(digest{}, Canonical(f)); d.hex() != h1 {
		t.Fatalf("hash of the stored form %s, of the fields %s", d.hex(), h1)
	}
}

// Stored entries are outside input too (the mirror is a file anyone can
// edit): parsing any text either fails or gives fields whose canonical form
// parses back to the same fields, and checking it never panics.
func FuzzParseStoredEntry(f *testing.F) {
	f.Add(Canonical(Fields{ID: "1", Console: "c", Actor: "leader", At: "2026-11-25T08:00:00.000Z", Kind: "order.issue", Subject: "s", Payload: `{"task":"巡逻"}`}), "", "00")
	f.Add(`{"actor":1}`, "zz", "")
	f.Fuzz(func(t *testing.T, entry, prev, hash string) {
		// Whatever the row holds, checking it gives a fault or none; it
		// never panics.
		var c Checker
		_ = c.Check(Stored{Seq: 1, Entry: entry, PrevHash: prev, Hash: hash})
		s := Stretch()
		_ = s.Check(Stored{Seq: 2, Entry: entry, PrevHash: prev, Hash: hash})
		_ = c.Join(s)
		fl, err := Parse(entry)
		if err != nil || !utf8.ValidString(entry) || fl.Payload == "" || !json.Valid([]byte(fl.Payload)) {
			return
		}
		canon, err := Payload(json.RawMessage(fl.Payload))
		if err != nil {
			return
		}
		fl.Payload = canon
		back, err := Parse(Canonical(fl))
		if err != nil || back != fl {
			t.Fatalf("%q: canonical form %q parses to %+v, %v", entry, Canonical(fl), back, err)
		}
	})
}
