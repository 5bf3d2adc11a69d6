package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metricsEndpoint serves the registry in the Prometheus text format. With
// a token (METRICS_TOKEN), only to a caller that sends it as
// "Authorization: Bearer <token>"; anyone else gets a 401 problem. The
// metrics tell traffic, error rates and the Go runtime's state: not for
// everyone once the service faces the internet.
func metricsEndpoint(reg *prometheus.Registry, token string) http.Handler {
	metrics := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	if token == "" {
		return metrics
	}
	// Compared as digests, so that the comparison takes the same time
	// whatever the length of the credential sent.
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent, _ := bearerToken(r)
		got := sha256.Sum256([]byte(sent))
		if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			writeProblem(w, newProblem(http.StatusUnauthorized,
				"The metrics need a credential: send Authorization: Bearer <METRICS_TOKEN>.").withHeader("WWW-Authenticate", "Bearer"))
			return
		}
		metrics.ServeHTTP(w, r)
	})
}
