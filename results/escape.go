package results

import (
	"strconv"
	"strings"
	"unicode"
)

// Names and descriptions come from scenario files, which may come from
// anyone. These functions keep them from doing more than being read in
// each medium a report is written to; JSON, JUnit and SARIF are escaped by
// their encoders.

// csvSafe neutralises a cell that a spreadsheet would read as a formula:
// one starting with =, +, -, @, a tab or a carriage return gets a leading
// apostrophe (OWASP's rule against CSV injection).
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// TerminalSafe shows the characters that would act on a terminal rather
// than print — ESC and every other control character, and the Unicode
// bidirectional overrides and isolates that reorder what follows — as Go
// escapes (\x1b, \u202e), so that text from a scenario cannot move the
// cursor, recolour or rewrite what the report says.
func TerminalSafe(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeRune(r) {
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// unsafeRune reports whether r acts on a terminal or reorders text.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == unicode.ReplacementChar
}

// markdownEscape keeps s inside the table cell or list item it is written
// to: it cannot end the cell, start markup or a new line (and so forge a
// heading or a row), nor act on a terminal that shows the file.
var markdownEscape = func(s string) string {
	return markdownReplacer.Replace(TerminalSafe(s))
}

var markdownReplacer = strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "#", `\#`, "[", `\[`, "]", `\]`)
