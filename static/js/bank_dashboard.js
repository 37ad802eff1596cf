// Bank dashboard charts: Apache ECharts (vendored) drawing the figures the page passes
// with Django's json_script (#bank-dashboard-data). Every figure is also in the table
// under its chart, so the page reads the same without JavaScript.
(function () {
  function draw() {
    var source = document.getElementById("bank-dashboard-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var charts = [];

    function bars(pair) {
      return {
        tooltip: { trigger: "axis" },
        legend: { bottom: 0 },
        grid: { left: 48, right: 16, top: 24, bottom: 72, containLabel: true },
        xAxis: { type: "category", data: pair.labels, axisLabel: { interval: 0, rotate: pair.labels.length > 4 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { type: "bar", name: data.text.leads, data: pair.leads },
          { type: "bar", name: data.text.disbursed, data: pair.disbursed }
        ]
      };
    }

    var options = {
      funnel: {
        tooltip: { trigger: "item" },
        series: [{ type: "funnel", name: data.text.leads, sort: "none", left: "10%", width: "80%",
                   data: data.funnel, label: { show: true, position: "inside", formatter: "{b}: {c}" } }]
      },
      products: bars(data.products),
      zones: bars(data.zones)
    };

    document.querySelectorAll(".bank-chart[data-chart]").forEach(function (element) {
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
