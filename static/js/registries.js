// Registry pages: size progress bars from data-percent (no inline styles: CSP), also on
// fragments htmx swaps in while an import is polled.
(function () {
  function sizeBars(root) {
    var bars = (root || document).querySelectorAll(".progress-bar[data-percent]");
    bars.forEach(function (bar) {
      bar.style.width = bar.getAttribute("data-percent") + "%";
    });
  }
  if (window.htmx) {
    window.htmx.onLoad(sizeBars);
  } else {
    document.addEventListener("DOMContentLoaded", function () { sizeBars(document); });
  }
})();
