// Starts Swagger UI on the service's own OpenAPI document; a file, not an inline script, so the page's
// Content-Security-Policy can forbid inline script. The document's URL comes from the page (it knows the root path).
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: element.getAttribute("data-openapi-url"),
    domNode: element,
    deepLinking: true,
    persistAuthorization: true,
    // No call to the public validator (an outside service): the service's documents are checked by its tests.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
