// Package render writes the reports of every command in the text formats:
// a terminal table, Markdown, CSV, JSON and JUnit, SARIF through
// render/sarif and GitLab Code Quality through render/codeclimate. The
// formats share one layout of each report (its facts and tables, laid out
// once in layout.go and drawn by each format) and never compute a figure:
// they spell what the report holds.
package render
