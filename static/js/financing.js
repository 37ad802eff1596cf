// Bank financing pages: ask before sending a campaign or other far-reaching actions.
// Forms opt in with data-confirm="…". No inline scripts or handlers anywhere (CSP).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
