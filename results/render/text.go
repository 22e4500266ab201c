package render

import (
	"fmt"
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// drawTerminal writes doc for a terminal: its facts, box-drawn tables and
// closing list; the title is left out, the facts name the scenario.
func drawTerminal(w io.Writer, doc textDoc) error {
	width := 0
	for _, f := range doc.facts {
		width = max(width, len(f.Name))
	}
	ew := &errWriter{w: w}
	for _, f := range doc.facts {
		ew.printf("%-*s  %s\n", width, f.Name, TerminalSafe(f.Value))
	}
	for _, l := range doc.leading {
		drawList(ew, l, "\n%s\n", TerminalSafe)
	}
	for _, t := range doc.tables {
		ew.printf("\n%s\n", TerminalSafe(t.title))
		if ew.err == nil {
			ew.err = drawTable(w, t, nil, TerminalSafe)
		}
		if t.note != "" {
			ew.printf("%s\n", t.note)
		}
	}
	for _, l := range doc.lists {
		drawList(ew, l, "\n%s\n", TerminalSafe)
	}
	if doc.closing != "" {
		ew.printf("\n%s\n", doc.closing)
	}
	ew.printf("%s\n", legendPointer)
	return ew.err
}

// drawMarkdown writes doc as GitHub-flavoured Markdown.
func drawMarkdown(w io.Writer, doc textDoc) error {
	ew := &errWriter{w: w}
	ew.printf("# %s\n\n", markdownEscape(doc.title))
	for _, f := range doc.facts {
		ew.printf("- **%s**: %s\n", f.Name, markdownEscape(f.Value))
	}
	for _, l := range doc.leading {
		drawList(ew, l, "\n## %s\n\n", markdownEscape)
	}
	for _, t := range doc.tables {
		ew.printf("\n## %s\n\n", markdownEscape(t.title))
		if ew.err == nil {
			ew.err = drawTable(w, t, renderer.NewMarkdown(), markdownEscape)
		}
		if t.note != "" {
			ew.printf("\n%s\n", t.note)
		}
	}
	for _, l := range doc.lists {
		drawList(ew, l, "\n## %s\n\n", markdownEscape)
	}
	ew.printf("\n%s\n", legendPointer)
	return ew.err
}

// drawList writes a titled list, its title as heading formats it and each
// item escaped by escape; nothing when it has no items.
func drawList(ew *errWriter, l textList, heading string, escape func(string) string) {
	if len(l.items) == 0 {
		return
	}
	ew.printf(heading, l.title)
	for _, item := range l.items {
		ew.printf("- %s\n", escape(item))
	}
}

// drawTable draws t with tablewriter, each cell escaped by escape, using
// rend, or the default box drawing when rend is nil.
func drawTable(w io.Writer, t textTable, rend tw.Renderer, escape func(string) string) error {
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
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = escape(c)
		}
		if err := table.Append(cells); err != nil {
			return err
		}
	}
	return table.Render()
}

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
