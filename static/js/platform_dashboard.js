// Platform dashboard charts (#platform-dashboard-data), drawn with static/js/charts.js.
(function () {
  var C = window.KejinCharts;
  C.mount("platform-dashboard-data", ".platform-chart", function (data) {
    return {
      funnel: C.funnel(data.funnel, data.text.enterprises),
      zones: C.bars(data.zones.labels, [
        { name: data.text.registered, values: data.zones.registered },
        { name: data.text.verified, values: data.zones.verified },
        { name: data.text.disbursed, values: data.zones.disbursed }
      ]),
      ageing: C.bars(data.ageing.labels, [{ name: data.text.claims, values: data.ageing.values }])
    };
  });
})();
