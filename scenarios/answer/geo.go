package answer

import "golang.org/x/text/language"

// Route 53's continent codes, each with the UN M.49 areas it covers.
// North America in Route 53 (as in ISO 3166's continent convention)
// includes Central America and the Caribbean, which M.49 files under
// Latin America.
var continents = []struct {
	code  string
	areas []string
}{
	{"AF", []string{"002"}},
	{"AN", []string{"010", "AQ"}},
	{"AS", []string{"142"}},
	{"EU", []string{"150"}},
	{"OC", []string{"009"}},
	{"NA", []string{"021", "013", "029"}},
	{"SA", []string{"005"}},
}

// Continents lists Route 53's continent codes.
func Continents() []string {
	out := make([]string, len(continents))
	for i, c := range continents {
		out[i] = c.code
	}
	return out
}

// Continent returns the Route 53 continent code of the ISO 3166-1 alpha-2
// country, by the UN M.49 area that contains it (golang.org/x/text's
// region containment): Russia is in Europe, Turkey and Cyprus in Asia.
// Route 53 places a query by a GeoIP database whose continent of a few
// transcontinental countries may differ; "" when the code is no country.
func Continent(country string) string {
	r, err := language.ParseRegion(country)
	if err != nil || !r.IsCountry() {
		return ""
	}
	for _, c := range continents {
		for _, a := range c.areas {
			if language.MustParseRegion(a).Contains(r) {
				return c.code
			}
		}
	}
	return ""
}
