package httpapi

import (
	"context"

	"github.com/shortener-dev/shortener"
)

// The interfaces below are what the handlers need from the application, one
// per need, so that this package speaks HTTP only and its tests run against
// small fakes. cmd/shortener passes the concrete services.

// QRCodes renders the QR codes of short links.
type QRCodes interface {
	// QRCode returns the image for req, or an answer with NotModified set
	// when req.IfNoneMatch names the image's ETag. Returns ENOTFOUND when
	// the code is unknown or deleted (a disabled or expired link still has
	// its QR code) and EINVALID for options that cannot be rendered.
	QRCode(ctx context.Context, req shortener.QRRequest) (*shortener.QRImage, error)
}

// Summaries answers the click summaries of links.
type Summaries interface {
	// Summary returns the summary of the link with short code code over the
	// last days UTC days, today included. Returns ENOTFOUND when there is no
	// such link and when caller is neither its owner nor an admin, so that
	// the link is not revealed.
	Summary(ctx context.Context, caller *shortener.User, code string, days int) (*shortener.ClickSummary, error)
}
