// Starts Swagger UI on the service's own OpenAPI document. It is a file of
// its own, not an inline script, so that the page's Content-Security-Policy
// can allow scripts from this origin only.
//
// BaseLayout without the standalone preset: no top bar whose URL field
// would load and render other documents on this origin. validatorUrl null:
// no badge fetched from validator.swagger.io.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  layout: "BaseLayout",
  presets: [SwaggerUIBundle.presets.apis],
  validatorUrl: null,
});
