// Package sign makes and checks the signatures of Kapok's offline
// briefings: the SHA-256 of a file and an Ed25519 signature over it, in a
// small text file beside it (FILE.pdf.sig), with one key per user kept in
// the user's config directory. Anyone given the file, its .sig and the
// signer's public key can tell whether a single byte of either changed.
//
// Keys. A user's key is made once, the first time it is needed, as
// DIR/LOGIN.key (DefaultDir: the user's config directory, kapok/keys),
// directory 0700 and file 0600: it is personal. The file is one line,
//
//	kapok-ed25519-private <base64 of the 32-byte seed> <login>
//
// A key file open to others (any group or world permission), not a regular
// file, malformed, or naming another login is refused, never repaired or
// replaced: a key that signed briefings must not change behind the user's
// back. Two processes making the same user's key at once both end with the
// one that reached the disk first (a complete temporary file is hard-linked
// into place, which fails rather than replaces if the name exists).
//
// Public keys are given to recipients as a one-line file,
//
//	kapok-ed25519-public <base64 of the 32-byte key> <login>
//
// The login there is a label for people; what is trusted is the key.
//
// Fingerprints are "SHA256:" and the unpadded standard base64 of SHA-256 over
// the 32 raw key bytes (43 characters), the form ssh-keygen prints; ssh hashes
// its own encoding of a key, so the two fingerprints of one key differ.
//
// Signature files (version 1) are UTF-8 text, these lines in this order, each
// once, LF or CRLF line ends:
//
//	kapok-signature 1
//	file: briefing-2026-11-25.pdf
//	size: 1234567
//	sha256: <64 lowercase hex digits>
//	signer: leader
//	key: <base64 of the 32-byte public key>
//	fingerprint: SHA256:<43 characters>
//	signed: 2026-11-25T01:00:00Z
//	signature: <base64 of the 64-byte Ed25519 signature>
//
// Values are in one form only (no leading zeros, no spaces, times in UTC to
// the second), so a line reads back as the bytes that were signed. The
// signature is Ed25519 over the message
//
//	kapok-signature 1\nsha256: HEX\nsize: N\nsigner: LOGIN\nsigned: TIME\n
//
// whose first line, the version tag, keeps it from being taken for anything
// else the key might sign. The digest, size, signer and time are covered;
// the key is bound by Ed25519 itself (it hashes the public key into every
// signature) and the fingerprint line must match the key. The file name is
// NOT covered, on purpose: a briefing renamed (or mailed and saved under
// another name) still verifies; the name is a hint for people.
//
// Verify judges a file against its signature with a trusted public key, or,
// without one, with the key the .sig names — which shows the file is
// unchanged since that key signed it, not whose key it is: the verdict says
// so (Trusted false), and people compare the fingerprint with the one the
// author gave them (the briefing's cover shows it).
package sign
