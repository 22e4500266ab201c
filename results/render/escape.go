package render

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
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

// TerminalSafe returns s with every character that is not graphic — ESC,
// CR, LF, the other C0 and C1 controls, the bidirectional overrides and
// isolates, bytes that are not UTF-8 — escaped as a Go literal would spell
// it (\x1b, \r, \u202e), so that text from a scenario or a command line
// cannot move the cursor, recolour, reorder or forge lines on a terminal.
func TerminalSafe(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, needsEscape) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case needsEscape(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(r rune) bool { return !unicode.IsGraphic(r) }

// markdownEscape keeps s inside the table cell or list item it is written
// to: it cannot end the cell, start markup or a new line (and so forge a
// heading or a row), nor act on a terminal that shows the file.
var markdownEscape = func(s string) string {
	return markdownReplacer.Replace(TerminalSafe(s))
}

var markdownReplacer = strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "#", `\#`, "[", `\[`, "]", `\]`)
