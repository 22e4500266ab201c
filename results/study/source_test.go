package study

import (
	"context"
	"errors"
	"testing"
	"time"
)

// Reading, validating or linting that takes long does not keep an
// interrupt waiting: the call returns when the context is done.
func TestInterruptible(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	defer close(release)
	go func() {
		time.Sleep(20 * time.Millisecond)
		cancel()
	}()
	start := time.Now()
	_, err := interruptible(ctx, func() (int, error) {
		<-release // a load that would take as long as the test
		return 1, nil
	})
	if !errors.Is(err, context.Canceled) || time.Since(start) > 5*time.Second {
		t.Errorf("returned %v after %v, want the context's error at once", err, time.Since(start))
	}
	if v, err := interruptible(context.Background(), func() (int, error) { return 7, nil }); v != 7 || err != nil {
		t.Errorf("a call that finishes: %v, %v", v, err)
	}
}
