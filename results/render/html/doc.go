// Package html draws any result — a run, a check, a sweep, a plan or a
// diff — as one self-contained HTML page to send: inline CSS and SVG charts
// (html/chart), every chart with the table of its numbers, a print
// stylesheet for A4, and provenance; html/chromium prints it to PDF.
package html
