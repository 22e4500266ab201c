package render

import (
	"strings"

	"github.com/geofence/geofence/results"
)

// overrideFacts say what a scenario ran under: its overrides as written,
// then, when there are any, the same in words, conditions (every side of a
// comparison) apart from changes (this side alone).
func overrideFacts(ref results.ScenarioRef) []fact {
	fs := []fact{{"overrides", OverridesText(ref.Overrides)}}
	if words := InWordsText(ref.InWords); words != "" {
		fs = append(fs, fact{"in words", words})
	}
	return fs
}

// OverridesCell lists a scenario's overrides for one cell of a table,
// each followed by what it did in words and whether it is a condition:
// "--when load=1.2 (load ×1.2 …: condition); …"; "" when there are none.
func OverridesCell(ref results.ScenarioRef) string {
	parts := make([]string, len(ref.Overrides))
	for i, o := range ref.Overrides {
		parts[i] = o
		if i < len(ref.InWords) {
			kind := "change"
			if ref.InWords[i].Condition {
				kind = "condition"
			}
			parts[i] += " (" + ref.InWords[i].Words + ": " + kind + ")"
		}
	}
	return strings.Join(parts, "; ")
}

// InWordsText says what changes a scenario ran under, in words:
// "conditions: eu-fra down 12:00–14:00 UTC; EU load ×1.2 — changes:
// cn-bj-1 removed from whitelist intl-backup"; "" when there are none.
func InWordsText(ws []results.OverrideWords) string {
	var parts []string
	if c := ConditionWords(ws); len(c) > 0 {
		parts = append(parts, "conditions: "+strings.Join(c, "; "))
	}
	if c := ChangeWords(ws); len(c) > 0 {
		parts = append(parts, "changes: "+strings.Join(c, "; "))
	}
	return strings.Join(parts, " — ")
}

// ConditionWords are the conditions of the world a scenario ran under, in
// words: what every side of a comparison ran under.
func ConditionWords(ws []results.OverrideWords) []string { return wordsWhere(ws, true) }

// ChangeWords are the changes made to a scenario's configuration, in
// words: what one side of a comparison ran with.
func ChangeWords(ws []results.OverrideWords) []string { return wordsWhere(ws, false) }

func wordsWhere(ws []results.OverrideWords, condition bool) []string {
	var out []string
	for _, w := range ws {
		if w.Condition == condition {
			out = append(out, w.Words)
		}
	}
	return out
}
