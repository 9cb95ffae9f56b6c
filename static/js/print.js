// The certificate page's "Print" button: hidden without JavaScript (the browser's own Print
// menu does the same), shown and wired up here.
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
