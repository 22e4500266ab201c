package format

import (
	"maps"
	"path/filepath"
	"slices"
	"testing"

	"github.com/geofence/geofence/scenarios/internal/scenariotest"
)

// TestStories replays the stories of each directory under testdata named
// here, with the commands its runner (below, by directory) describes.
// go test ./scenarios/format -run TestStories/DIR -rewrite regenerates a
// directory's expected output.
func TestStories(t *testing.T) {
	// Each directory's story makes the runner of one story file: a fresh
	// one for each file where directives build on the ones before them.
	stories := map[string]func() scenariotest.Run{
		"load":           func() scenariotest.Run { return runLoad },
		"study":          func() scenariotest.Run { return runStudy },
		"import_formats": func() scenariotest.Run { return runImportFormats },
		"accepted":       acceptedStory,
		"override":       overrideStory,
	}
	for _, dir := range slices.Sorted(maps.Keys(stories)) {
		t.Run(dir, func(t *testing.T) {
			scenariotest.ReplayStories(t, filepath.Join("testdata", dir), stories[dir])
		})
	}
}
