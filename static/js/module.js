// Records that a signed-in person opened this module (for "continue where you left off").
// GET requests never write, so the page reports the view with a CSRF-protected POST.
(function () {
  var article = document.querySelector("[data-viewed-url]");
  var token = document.querySelector("input[name=csrf_token]");
  if (!article || !token || !window.fetch) return;
  fetch(article.getAttribute("data-viewed-url"), {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": token.value },
    keepalive: true,
  }).catch(function () {});
})();
