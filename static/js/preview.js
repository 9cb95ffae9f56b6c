// Live preview for the trainer's module editor and preview page: progressive enhancement only.
// Without JavaScript the Preview button posts the form and the page comes back with the
// preview. With it, the preview refreshes about half a second after typing stops (a POST with
// the form's CSRF token; nothing is saved), and a problem's line number selects that line.
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview-url]");
  var body = document.getElementById("preview-body");
  if (!form || !body || !window.fetch || !window.FormData) return;
  var source = form.querySelector("textarea[name=source]");
  var token = form.querySelector("input[name=csrf_token]");
  var status = document.getElementById("preview-status");
  if (!source || !token) return;
  var url = form.getAttribute("data-preview-url");
  var timer = null;
  var controller = null;
  var sent = source.defaultValue; // what the preview on the page was made from

  function value(name, fallback) {
    var field = form.querySelector("[name=" + name + "]");
    return field ? field.value : (form.getAttribute(fallback) || "");
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  function refresh() {
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    var data = new FormData();
    data.append("csrf_token", token.value);
    data.append("source", source.value);
    data.append("course_key", value("course_key", "data-course"));
    data.append("file_name", value("file_name", "data-file"));
    sent = source.value;
    say("Updating the preview…");
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.value },
      signal: controller ? controller.signal : undefined,
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    }).then(function (html) {
      body.innerHTML = html;
      enhance();
      say("Preview up to date.");
    }).catch(function (problem) {
      if (problem && problem.name === "AbortError") return;
      say("The preview could not be updated. Use the Preview button.");
    });
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(function () {
      if (source.value !== sent) refresh();
    }, 500);
  }

  // "Line 12" becomes a button that selects that line in the text (it means nothing without
  // this script, so the server sends plain text).
  function enhance() {
    var spots = body.querySelectorAll("[data-line] > .diagnostic__where");
    Array.prototype.forEach.call(spots, function (spot) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link-button diagnostic__where";
      button.textContent = spot.textContent;
      spot.parentNode.replaceChild(button, spot);
    });
  }

  source.addEventListener("input", schedule);
  enhance();
  schedule(); // text typed before this script ran, or restored by the browser
  ["course_key", "file_name"].forEach(function (name) {
    var field = form.querySelector("[name=" + name + "]");
    if (field) field.addEventListener("change", refresh);
  });

  // Clicking a problem selects its line in the text, so the trainer lands on it.
  body.addEventListener("click", function (event) {
    var item = event.target.closest ? event.target.closest("[data-line]") : null;
    if (!item) return;
    var line = parseInt(item.getAttribute("data-line"), 10);
    var lines = source.value.split("\n");
    if (!(line >= 1 && line <= lines.length)) return;
    var start = lines.slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
    source.focus();
    source.setSelectionRange(start, start + lines[line - 1].length);
    var lineHeight = source.scrollHeight / Math.max(lines.length, 1);
    source.scrollTop = Math.max(0, (line - 3) * lineHeight);
  });
})();
