// Comment threads: "Expand all" opens every folded reply in place (without JavaScript
// the link reloads the page with ?expand=all), and printing prints every comment.
"use strict";
(function () {
  function openAll() {
    document.querySelectorAll(".comments details:not([open])").forEach(function (d) {
      d.open = true;
    });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.expand-all");
    if (!link) return;
    event.preventDefault();
    openAll();
    link.textContent = "All expanded";
    link.removeAttribute("href");
  });
  window.addEventListener("beforeprint", openAll);
})();
