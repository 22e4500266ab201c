package results

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// signed puts a plus before text, a change written, when the change is
// positive.
func Signed(x float64, text string) string {
	if x > 0 {
		return "+" + text
	}
	return text
}

func Plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// idList joins ids for a cell, "-" when there are none.
func IdList(ids []string) string {
	if len(ids) == 0 {
		return "-"
	}
	return strings.Join(ids, ", ")
}

// percent writes a fraction as a percentage with 3 significant digits,
// "n/a" when it is unknown.
func Percent(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return strconv.FormatFloat(100*x, 'g', 3, 64) + "%"
}

func Number(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// limitText writes a limit exactly.
func LimitText(limit float64) string { return strconv.FormatFloat(limit, 'g', -1, 64) }

// fileLine writes "file:line:column", or the file alone when the line is
// unknown.
func FileLine(file string, line, column int) string {
	if line == 0 {
		return file
	}
	return fmt.Sprintf("%s:%d:%d", file, line, column)
}
