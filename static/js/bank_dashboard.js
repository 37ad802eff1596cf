// Bank dashboard charts (#bank-dashboard-data), drawn with static/js/charts.js.
(function () {
  var C = window.KejinCharts;
  C.mount("bank-dashboard-data", ".bank-chart", function (data) {
    function byDimension(pair) {
      return C.bars(pair.labels, [
        { name: data.text.leads, values: pair.leads },
        { name: data.text.disbursed, values: pair.disbursed }
      ]);
    }
    return {
      funnel: C.funnel(data.funnel, data.text.leads),
      products: byDimension(data.products),
      zones: byDimension(data.zones)
    };
  });
})();

// Someone who sees several banks: choosing a bank applies the filter at once, so the branch
// list holds that bank's branches; a branch of the bank left is dropped, not refused.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-bank-choice")) return;
  var form = select.form;
  if (!form) return;
  var branch = form.elements.namedItem("branch");
  if (branch) branch.value = "";
  form.submit();
});
