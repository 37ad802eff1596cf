// KejinLink front-end glue. No inline scripts anywhere: pages stay CSP-clean.
// htmx sends the CSRF token from the hx-headers attribute on <body>.

// A wide table scrolls inside its own box, never the page: every table of the main content
// not already in a .table-responsive gets one (on load, and in what htmx swaps in).
(function () {
  // A box that scrolls must be reachable by keyboard (Tab, then the arrow keys).
  function wrapTables(root) {
    root.querySelectorAll("main table").forEach(function (table) {
      if (table.closest(".table-responsive")) return;
      var box = document.createElement("div");
      box.className = "table-responsive";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    focusable(root);
  }
  function focusable(root) {
    root.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else if (box.getAttribute("tabindex") === "0") box.removeAttribute("tabindex");
    });
  }
  window.addEventListener("resize", function () { focusable(document); });
  wrapTables(document);
  document.addEventListener("htmx:afterSwap", function (event) { wrapTables(event.target); });
})();
