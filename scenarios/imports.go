package scenarios

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
)

// What the importers (scenarios/istio and its kin) and the loader share:
// the files routing.import names, read; what an importer makes of them;
// and the lints it finds in them.

// ImportFile is one file routing.import names, read.
type ImportFile struct {
	Name    string // as findings in it name it: the path routing.import gives, joined to the scenario's directory
	Written string // as routing.import gives it
	Data    []byte
}

// Imported is what an importer compiles its files into: a route of its
// own for each population that follows an imported plane, with a position
// in the files for every value of those routes, and the lints of the files.
type Imported struct {
	// Routes have Population and Imported set, and give only the imported
	// planes; the loader appends them to Routing.Routes.
	Routes []Route
	// Positions locate every value of Routes by path, the routes numbered
	// from the base index the importer was given.
	Positions map[string]Position
	Lints     []ImportLint
}

// LintRule describes a kind of lint, for SARIF rule metadata and the docs.
type LintRule struct {
	ID       string `json:"id"` // stable kebab-case id
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
}

// ImportLint is a lint an importer found in the files it read: something
// that loads and runs but is likely not what its author meant.
type ImportLint struct {
	Rule     string
	Severity string
	// Path is the value of an imported route the lint concerns, or ""
	// when it concerns the files alone; Pos is where to change the file.
	Path    string
	Pos     Position
	Message string
}

// ImportsSHA256 is the hex SHA-256 a scenario that imports routing is
// known by: of its own bytes and of each file it imports, each with its
// name and length, so that changing any of them changes it.
func ImportsSHA256(data []byte, files []ImportFile) string {
	h := sha256.New()
	write := func(b []byte) {
		h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(b))))
		h.Write(b)
	}
	write(data)
	for _, f := range files {
		write([]byte(f.Written))
		write(f.Data)
	}
	return hex.EncodeToString(h.Sum(nil))
}
