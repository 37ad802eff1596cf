// Zone dashboard charts: Apache ECharts (vendored) drawing the figures the page passes
// with Django's json_script (#zone-dashboard-data). Every figure is also in a table below
// its chart, so the page reads the same without JavaScript.
(function () {
  function draw() {
    var source = document.getElementById("zone-dashboard-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var charts = [];

    function bar(pair, unit) {
      return {
        tooltip: { trigger: "axis" },
        grid: { left: 48, right: 16, top: 24, bottom: 64, containLabel: true },
        xAxis: { type: "category", data: pair.labels, axisLabel: { interval: 0, rotate: pair.labels.length > 4 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1, name: unit },
        series: [{ type: "bar", data: pair.values, name: unit }]
      };
    }

    function pie(pair, unit) {
      return {
        tooltip: { trigger: "item" },
        legend: { bottom: 0 },
        series: [{
          type: "pie",
          radius: ["35%", "65%"],
          name: unit,
          data: pair.labels.map(function (label, i) { return { name: label, value: pair.values[i] }; })
        }]
      };
    }

    function funnel(stages, unit) {
      return {
        tooltip: { trigger: "item" },
        series: [{ type: "funnel", name: unit, sort: "none", left: "10%", width: "80%", data: stages,
                   label: { show: true, position: "inside", formatter: "{b}: {c}" } }]
      };
    }

    var options = {
      stages: pie(data.stages, data.text.enterprises),
      industries: bar(data.industries, data.text.enterprises),
      programs: bar(data.programs, data.text.enterprises),
      ageing: bar(data.ageing, data.text.claims),
      funnel: funnel(data.funnel, data.text.enterprises)
    };

    document.querySelectorAll(".zone-chart[data-chart]").forEach(function (element) {
      var option = options[element.getAttribute("data-chart")];
      if (!option) return;
      var chart = window.echarts.init(element);
      chart.setOption(option);
      element.setAttribute("data-rendered", "true");
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
