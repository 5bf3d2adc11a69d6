package httpapi

import (
	"context"
	"net/http"
	"reflect"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/shortener-dev/shortener"
)

// HealthBody is the answer of the health check.
type HealthBody struct {
	Status string            `json:"status" enum:"ok,unavailable"`
	Checks map[string]string `json:"checks" doc:"Each dependency: ok, or unavailable."`
}

type healthOutput struct {
	Status int
	Body   HealthBody
}

// healthTimeout bounds each dependency probe.
const healthTimeout = 2 * time.Second

func (s *Server) registerHealth(api huma.API) {
	registerOp(api, shortener.RateNone, anyCaller, huma.Operation{
		OperationID: "health", Method: http.MethodGet, Path: "/api/v1/health", Tags: []string{"system"},
		Summary: "Readiness: the database and the cache", Description: "503 names the failing check.",
		Responses: map[string]*huma.Response{"503": {Description: "A dependency is down: the same body, status unavailable.",
			Content: map[string]*huma.MediaType{"application/json": {
				Schema: api.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[HealthBody](), true, "")}}}},
	}, func(ctx context.Context, _ *struct{}) (*healthOutput, error) {
		out := &healthOutput{Status: http.StatusOK, Body: HealthBody{Status: "ok", Checks: map[string]string{}}}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for name, checker := range s.health {
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(ctx, healthTimeout)
				defer cancel()
				err := checker.Ping(ctx)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					s.logger.WarnContext(ctx, "health check failed", "check", name, "error", err)
					out.Body.Checks[name] = "unavailable"
					out.Status = http.StatusServiceUnavailable
					out.Body.Status = "unavailable"
					return
				}
				out.Body.Checks[name] = "ok"
			})
		}
		wg.Wait()
		return out, nil
	})
}
