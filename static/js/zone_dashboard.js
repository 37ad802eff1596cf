// Zone dashboard charts (#zone-dashboard-data), drawn with static/js/charts.js.
(function () {
  var C = window.KejinCharts;
  C.mount("zone-dashboard-data", ".zone-chart", function (data) {
    function bar(pair, unit) {
      return C.bars(pair.labels, [{ name: unit, values: pair.values }]);
    }
    return {
      stages: C.pie(data.stages.labels, data.stages.values, data.text.enterprises),
      industries: bar(data.industries, data.text.enterprises),
      programs: bar(data.programs, data.text.enterprises),
      ageing: bar(data.ageing, data.text.claims),
      funnel: C.funnel(data.funnel, data.text.enterprises)
    };
  });
})();
