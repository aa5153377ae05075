// The API docs page: Swagger UI on the app's OpenAPI document; no validator badge (it would call out).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("swagger-ui");
    window.SwaggerUIBundle({ url: root.dataset.openapiUrl, domNode: root, validatorUrl: null, deepLinking: true });
  });
})();
