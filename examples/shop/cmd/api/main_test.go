package main

import (
	"testing"

	"example.com/shop/internal/testonly"
)

func TestFixture(t *testing.T) {
	if testonly.Answer() != 42 {
		t.Fatal("unexpected answer")
	}
}
