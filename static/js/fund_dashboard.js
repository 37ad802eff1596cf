// Fund dashboard charts (#fund-dashboard-data), drawn with static/js/charts.js: per
// scheme its filed balance, headroom and money paid; per value of the breakdown its filed
// and non-performing balance. Amounts come shortened by the money rule (万元 or millions).
(function () {
  var C = window.KejinCharts;
  C.mount("fund-dashboard-data", ".fund-chart", function (data) {
    var t = data.text;
    function values(list) { return list.map(function (v) { return v === null ? null : Number(v); }); }
    function named(key) { return t[key] + " (" + t.unit + ")"; }
    var schemes = C.bars(data.schemes.labels, [
      { name: named("filed"), values: values(data.schemes.filed) },
      { name: named("headroom"), values: values(data.schemes.headroom) },
      { name: named("compensation"), values: values(data.schemes.compensation) },
      { name: named("subsidies"), values: values(data.schemes.subsidies) }
    ]);
    var breakdown = C.bars(data.breakdown.labels, [
      { name: named("filed"), values: values(data.breakdown.filed) },
      { name: named("non_performing"), values: values(data.breakdown.non_performing) }
    ]);
    schemes.yAxis.minInterval = undefined;
    breakdown.yAxis.minInterval = undefined;
    var charts = { schemes: schemes };
    charts[data.by] = breakdown;
    return charts;
  });
})();
