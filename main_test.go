package colony

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if any test leaves a goroutine behind, idle HTTP
// connections included (servers close theirs in t.Cleanup).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
