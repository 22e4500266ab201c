package codeclimate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"strings"

	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/results/render/sarif"
)

// Issue is one Code Quality finding, with the fields GitLab reads.
type Issue struct {
	Description string   `json:"description"`
	CheckName   string   `json:"check_name"`
	Fingerprint string   `json:"fingerprint"`
	Severity    string   `json:"severity"`
	Location    Location `json:"location"`
}

// Location is where an issue stands: a file relative to the repository
// and its first line.
type Location struct {
	Path  string `json:"path"`
	Lines Lines  `json:"lines"`
}

// Lines are an issue's lines; GitLab reads the first.
type Lines struct {
	Begin int `json:"begin"`
}

// The severities GitLab knows, least first; geofence uses the first four.
const (
	SeverityInfo     = "info"
	SeverityMinor    = "minor"
	SeverityMajor    = "major"
	SeverityCritical = "critical"
	SeverityBlocker  = "blocker"
)

// Check writes r as a Code Quality report: an issue for each result of
// its SARIF log that an accepted risk does not cover — each entry that
// lets clients out of a fence, each fence over its rate limit (at the
// entry most violations came through), each lapsed acceptance, each lint.
// Files are placed as artifacts places them for SARIF.
func Check(w io.Writer, r *check.Report, artifacts sarif.Artifacts) error {
	var log bytes.Buffer
	if err := sarif.Check(&log, r, artifacts); err != nil {
		return err
	}
	return write(w, log.Bytes(), func(sarifResult) bool { return true })
}

// Diff writes what got worse from OLD to NEW as a Code Quality report:
// the entries whose landings are worse, the lints NEW brings (or that
// now fail), the fences whose violation rate rose past what the diff
// tolerates. What is unchanged or better is not listed: GitLab's widget
// compares a merge request's report with its target branch's itself.
func Diff(w io.Writer, r *diff.Report, artifacts sarif.Artifacts) error {
	var log bytes.Buffer
	if err := sarif.Diff(&log, r, artifacts); err != nil {
		return err
	}
	return write(w, log.Bytes(), sarifResult.worse)
}

// sarifLog is what this package reads of a SARIF log.
type sarifLog struct {
	Runs []struct {
		Artifacts []struct {
			Location artifactLocation `json:"location"`
		} `json:"artifacts"`
		Results []sarifResult `json:"results"`
	} `json:"runs"`
}

type sarifResult struct {
	RuleID    string                `json:"ruleId"`
	Level     string                `json:"level"`
	Message   struct{ Text string } `json:"message"`
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation artifactLocation `json:"artifactLocation"`
			Region           struct {
				StartLine int `json:"startLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
	} `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	BaselineState       string            `json:"baselineState"`
	Suppressions        []json.RawMessage `json:"suppressions"`
	Properties          struct {
		Effect string `json:"effect"`
	} `json:"properties"`
}

type artifactLocation struct {
	URI    string `json:"uri"`
	BaseID string `json:"uriBaseId"`
}

// worse reports whether a result of a diff's log is something NEW made
// worse: landings and rates by their effect, a lint when it is new or
// now fails; never a routing change, which is a fact, not a finding.
func (r sarifResult) worse() bool {
	switch r.RuleID {
	case sarif.RuleStaticReachable, sarif.RuleViolationRate, sarif.RuleBlockingLimit, sarif.RuleGroupLimit:
		return r.Properties.Effect == diff.EffectWorse
	case sarif.RuleRoutingChange:
		return false
	}
	return r.BaselineState == diff.StateNew || r.Level == "error" && r.BaselineState == diff.StateUpdated
}

// severity is GitLab's severity of a result: a broken fence is critical,
// anything else that fails the command (a lint at --fail-on, an accepted
// risk lapsed) major, a warning minor, a note info.
func (r sarifResult) severity() string {
	switch {
	case r.Level == "error" && (r.RuleID == sarif.RuleStaticReachable || r.RuleID == sarif.RuleViolationRate):
		return SeverityCritical
	case r.Level == "error":
		return SeverityMajor
	case r.Level == "warning":
		return SeverityMinor
	}
	return SeverityInfo
}

// write turns the log's results that keep selects, less those an
// accepted risk suppresses, into issues, and writes them as a JSON array
// of one issue a line, so that reports of several scenarios join into one
// with line tools (as GitLab takes one report file a job).
func write(w io.Writer, data []byte, keep func(sarifResult) bool) error {
	var log sarifLog
	if err := json.Unmarshal(data, &log); err != nil {
		return err
	}
	issues := []Issue{}
	seen := map[string]int{}
	for _, run := range log.Runs {
		scenario := Location{Lines: Lines{Begin: 1}}
		if len(run.Artifacts) > 0 {
			scenario.Path = repositoryPath(run.Artifacts[0].Location)
		}
		for _, r := range run.Results {
			if len(r.Suppressions) > 0 || !keep(r) {
				continue
			}
			at := scenario
			if len(r.Locations) > 0 {
				physical := r.Locations[0].PhysicalLocation
				at = Location{Path: repositoryPath(physical.ArtifactLocation), Lines: Lines{Begin: max(physical.Region.StartLine, 1)}}
			}
			subject := at.Path + "\x00" + r.RuleID + "\x00" + r.PartialFingerprints[sarif.FingerprintKey]
			issues = append(issues, Issue{
				Description: r.Message.Text,
				CheckName:   r.RuleID,
				Fingerprint: fingerprint(subject, seen),
				Severity:    r.severity(),
				Location:    at,
			})
		}
	}
	var out bytes.Buffer
	out.WriteString("[")
	for i, issue := range issues {
		if i > 0 {
			out.WriteString(",")
		}
		out.WriteString("\n")
		line, err := marshal(issue)
		if err != nil {
			return err
		}
		out.Write(line)
	}
	if len(issues) > 0 {
		out.WriteString("\n")
	}
	out.WriteString("]\n")
	_, err := w.Write(out.Bytes())
	return err
}

// fingerprint names subject — a file, a rule and what the result is
// about, by ids — in 32 hex digits, the same in every report however the
// file's lines move. seen counts the subjects already named, so that a
// second result of the same subject gets a fingerprint of its own.
func fingerprint(subject string, seen map[string]int) string {
	n := seen[subject]
	seen[subject]++
	if n > 0 {
		subject += "\x00" + strings.Repeat("+", n)
	}
	sum := sha256.Sum256([]byte("geofence/v1\x00" + subject))
	return hex.EncodeToString(sum[:16])
}

// repositoryPath is the file of a SARIF artifact location as GitLab
// places it: relative to the source root for a file under it, else as
// the report names it (a built-in, a file at a revision, a path outside
// the root).
func repositoryPath(l artifactLocation) string {
	if u, err := url.Parse(l.URI); err == nil {
		if u.Scheme == "file" || l.BaseID == sarif.SourceRoot || u.Scheme == "" {
			return strings.TrimPrefix(u.Path, "./")
		}
	}
	return l.URI
}

// marshal encodes v on one line, leaving <, > and & as they are.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
