package results

// What the external tests check of the package's insides.
var (
	TQuantile        = tQuantile
	MeanAndHalfWidth = meanAndHalfWidth
)
