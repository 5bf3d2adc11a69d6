package shortener

// QRRequest asks for the QR code of a short link. Its fields are the API's
// query parameters after defaults: nothing here is optional except the
// colours and IfNoneMatch.
type QRRequest struct {
	Code string // the short code; the image encodes its short URL
	// DomainID and DomainHost name the code's domain; "" for the default.
	DomainID, DomainHost string
	Format               string // "png" or "svg"
	Size                 int    // edge of the square image in pixels, quiet zone included
	Margin               int    // quiet zone in modules
	ECC                  string // error correction level: "L", "M", "Q" or "H"
	// Foreground and Background are colours as six hex digits, with or
	// without a leading '#'; empty means black on white.
	Foreground, Background string
	// IfNoneMatch is the client's If-None-Match header: entity tags
	// separated by commas, or "*". Empty asks for the image unconditionally.
	IfNoneMatch string
}

// QRImage answers a QRRequest.
type QRImage struct {
	// NotModified is true when IfNoneMatch names the image's ETag: the
	// client's copy is current, so ContentType and Data are empty.
	NotModified bool
	// ETag is the quoted entity tag of the image. It follows from the
	// request alone (rendering is deterministic), so the same request always
	// gets the same tag and a changed option a different one.
	ETag        string
	ContentType string // "image/png" or "image/svg+xml"
	Data        []byte
}
