package results

import (
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// renderTable writes r for a terminal: the run facts, then box-drawn tables.
func renderTable(w io.Writer, r *Report) error { return drawTerminal(w, reportDoc(r)) }

// renderMarkdown writes r as GitHub-flavoured Markdown with the content of
// the table format.
func renderMarkdown(w io.Writer, r *Report) error { return drawMarkdown(w, reportDoc(r)) }

// drawTerminal writes doc for a terminal: its facts, box-drawn tables and
// closing list; the title is left out, the facts name the scenario.
func drawTerminal(w io.Writer, doc textDoc) error {
	width := 0
	for _, f := range doc.facts {
		width = max(width, len(f.name))
	}
	ew := &errWriter{w: w}
	for _, f := range doc.facts {
		ew.printf("%-*s  %s\n", width, f.name, f.value)
	}
	for _, t := range doc.tables {
		ew.printf("\n%s\n", t.title)
		if ew.err == nil {
			ew.err = drawTable(w, t, nil)
		}
		if t.note != "" {
			ew.printf("%s\n", t.note)
		}
	}
	for _, l := range doc.lists {
		if len(l.items) == 0 {
			continue
		}
		ew.printf("\n%s\n", l.title)
		for _, item := range l.items {
			ew.printf("- %s\n", item)
		}
	}
	ew.printf("\n%s\n", legendPointer)
	return ew.err
}

// drawMarkdown writes doc as GitHub-flavoured Markdown.
func drawMarkdown(w io.Writer, doc textDoc) error {
	ew := &errWriter{w: w}
	ew.printf("# %s\n\n", markdownEscape(doc.title))
	for _, f := range doc.facts {
		ew.printf("- **%s**: %s\n", f.name, markdownEscape(f.value))
	}
	for _, t := range doc.tables {
		ew.printf("\n## %s\n\n", markdownEscape(t.title))
		if ew.err == nil {
			ew.err = drawTable(w, t, renderer.NewMarkdown())
		}
		if t.note != "" {
			ew.printf("\n%s\n", t.note)
		}
	}
	for _, l := range doc.lists {
		if len(l.items) == 0 {
			continue
		}
		ew.printf("\n## %s\n\n", l.title)
		for _, item := range l.items {
			ew.printf("- %s\n", markdownEscape(item))
		}
	}
	ew.printf("\n%s\n", legendPointer)
	return ew.err
}

// drawTable draws t with tablewriter, using rend, or the default box
// drawing when rend is nil.
func drawTable(w io.Writer, t textTable, rend tw.Renderer) error {
	align := make(tw.Alignment, len(t.header))
	for i := range align {
		align[i] = tw.AlignRight
		if i < t.labels {
			align[i] = tw.AlignLeft
		}
	}
	opts := []tablewriter.Option{
		tablewriter.WithHeaderAutoFormat(tw.Off), // keep the figure names as written
		tablewriter.WithAlignment(align),
	}
	if rend != nil {
		opts = append(opts, tablewriter.WithRenderer(rend))
	}
	table := tablewriter.NewTable(w, opts...)
	table.Header(t.header)
	for _, row := range t.rows {
		if rend != nil {
			row = markdownRow(row)
		}
		if err := table.Append(row); err != nil {
			return err
		}
	}
	return table.Render()
}

// markdownRow escapes the cells of a Markdown table row.
func markdownRow(row []string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = markdownEscape(c)
	}
	return out
}

// markdownEscape keeps s from ending a table cell or starting markup.
var markdownEscape = strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;").Replace

// errWriter remembers the first write error so that a renderer can write
// line after line and check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (ew *errWriter) printf(format string, args ...any) {
	if ew.err == nil {
		_, ew.err = fmt.Fprintf(ew.w, format, args...)
	}
}
