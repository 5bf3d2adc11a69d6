package web

import "strings"

// countryNames names the countries most visitors come from, by ISO 3166
// alpha-2 code. Other codes show as the code itself: a short built-in
// table keeps the binary free of a locale database, and the code is still
// unambiguous.
var countryNames = map[string]string{
	"AE": "United Arab Emirates", "AR": "Argentina", "AT": "Austria", "AU": "Australia",
	"BD": "Bangladesh", "BE": "Belgium", "BG": "Bulgaria", "BR": "Brazil",
	"CA": "Canada", "CH": "Switzerland", "CL": "Chile", "CN": "China",
	"CO": "Colombia", "CZ": "Czechia", "DE": "Germany", "DK": "Denmark",
	"DZ": "Algeria", "EE": "Estonia", "EG": "Egypt", "ES": "Spain",
	"FI": "Finland", "FR": "France", "GB": "United Kingdom", "GR": "Greece",
	"HK": "Hong Kong", "HR": "Croatia", "HU": "Hungary", "ID": "Indonesia",
	"IE": "Ireland", "IL": "Israel", "IN": "India", "IR": "Iran",
	"IS": "Iceland", "IT": "Italy", "JP": "Japan", "KE": "Kenya",
	"KR": "South Korea", "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia",
	"MA": "Morocco", "MX": "Mexico", "MY": "Malaysia", "NG": "Nigeria",
	"NL": "Netherlands", "NO": "Norway", "NZ": "New Zealand", "PE": "Peru",
	"PH": "Philippines", "PK": "Pakistan", "PL": "Poland", "PT": "Portugal",
	"RO": "Romania", "RS": "Serbia", "RU": "Russia", "SA": "Saudi Arabia",
	"SE": "Sweden", "SG": "Singapore", "SI": "Slovenia", "SK": "Slovakia",
	"TH": "Thailand", "TR": "Türkiye", "TW": "Taiwan", "UA": "Ukraine",
	"US": "United States", "VN": "Vietnam", "ZA": "South Africa",
}

// countryName returns the English name of an ISO 3166 alpha-2 code, the
// code itself when the table does not know it, and "Unknown" for the
// summary's "unknown" (no GeoIP database, or an address it lacks).
func countryName(code string) string {
	if strings.EqualFold(code, "unknown") || code == "" {
		return "Unknown"
	}
	if name, ok := countryNames[strings.ToUpper(code)]; ok {
		return name
	}
	return code
}
