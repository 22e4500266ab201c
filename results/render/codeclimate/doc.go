// Package codeclimate writes a check or a diff as a GitLab Code Quality
// report — the subset of the Code Climate issue format GitLab documents:
// description, check_name, fingerprint, severity and location (path
// relative to the repository, first line) — so that a merge request's
// widget shows what a routing change breaks. It spells the SARIF log's
// results (render/sarif) as issues: one per scenario entry that lets
// clients out, at its line, with a fingerprint made of the result's
// subject by ids, not of its line; accepted risks are not issues, and a
// diff's report lists only what got worse.
package codeclimate
