// Package testonly is imported only by tests.
package testonly

// Answer is used by a test.
func Answer() int { return 42 }
