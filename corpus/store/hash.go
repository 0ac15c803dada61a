package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Hash is the SHA-256 digest of a blob.
type Hash [sha256.Size]byte

// HashOf returns the SHA-256 digest of data.
func HashOf(data []byte) Hash {
	return Hash(sha256.Sum256(data))
}

// ParseHash parses a lowercase or uppercase hexadecimal SHA-256 digest.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 2*len(h) {
		return Hash{}, fmt.Errorf("parse hash %q: want %d hex digits", s, 2*len(h))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return Hash{}, fmt.Errorf("parse hash %q: %w", s, err)
	}
	return h, nil
}

// String returns the digest in lowercase hexadecimal, or "" for the zero hash.
func (h Hash) String() string {
	if h.IsZero() {
		return ""
	}
	return hex.EncodeToString(h[:])
}

// IsZero reports whether h is the zero hash, which stands for "no content".
func (h Hash) IsZero() bool {
	return h == Hash{}
}

// MarshalText encodes h as for [Hash.String].
func (h Hash) MarshalText() ([]byte, error) {
	return []byte(h.String()), nil
}

// UnmarshalText decodes a digest written by [Hash.MarshalText].
func (h *Hash) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*h = Hash{}
		return nil
	}
	parsed, err := ParseHash(string(text))
	if err != nil {
		return err
	}
	*h = parsed
	return nil
}
