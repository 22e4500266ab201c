package format

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadFileRefusesSpecialFiles checks that a directory, a named pipe
// with no writer and a device are refused at once, naming what was given,
// rather than read (a directory), waited on forever (a pipe) or read
// without end (/dev/zero).
func TestLoadFileRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "scenario.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		dir:         dir + " is a directory; give a scenario file",
		fifo:        fifo + " is a named pipe; give a scenario file",
		"/dev/zero": "/dev/zero is a device; give a scenario file",
	} {
		done := make(chan error, 1)
		go func() {
			_, err := LoadFile(path)
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("LoadFile(%s) gives %v, want %q", path, err, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("LoadFile(%s) blocks", path)
		}
	}
}
