package sarif

// Artifact is a scenario file as SARIF locates it: URI relative to the
// uriBaseId BaseID (SourceRoot), or an absolute URI and no BaseID.
type Artifact struct {
	URI    string
	BaseID string
}

// Artifacts gives, for a scenario file as a report names it, where SARIF
// locates it; a file not listed is written as given.
type Artifacts map[string]Artifact
