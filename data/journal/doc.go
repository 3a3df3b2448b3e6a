// Package journal computes and checks the hash chain of Kapok's journal of
// changes. An entry's hash is SHA-256 over the previous entry's hash (32 bytes,
// zero for the first entry) followed by the entry's canonical form: the RFC
// 8785 (JCS) serialization of the object
//
//	{"actor","at","console","id","kind","payload","subject"}
//
// whose payload is itself canonical JSON. An entry edited, removed, inserted
// or moved breaks the chain at that entry or the next; the stores keep the
// head (last position and hash) beside the chain so that entries cut from its
// end are noticed too. The package holds no SQL: the stores read and write
// entries and ask it for hashes.
package journal
