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
