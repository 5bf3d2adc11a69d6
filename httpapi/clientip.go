package httpapi

import (
	"net/http"
	"net/netip"
)

// clientIP returns the client's address (see clientip.Resolver).
func (s *Server) clientIP(r *http.Request) netip.Addr { return s.clients.Of(r) }
