// Shared by the dashboards: Apache ECharts (vendored) options for bars, pies and funnels,
// and mounting them on the page's chart elements. Each page passes its figures with
// Django's json_script; every figure is also in a table, so pages read the same without
// JavaScript.
(function () {
  function bars(labels, series) {
    return {
      tooltip: { trigger: "axis" },
      legend: series.length > 1 ? { bottom: 0 } : undefined,
      grid: { left: 48, right: 16, top: 24, bottom: series.length > 1 ? 72 : 64, containLabel: true },
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: series.map(function (s) { return { type: "bar", name: s.name, data: s.values }; })
    };
  }

  function pie(labels, values, name) {
    return {
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      series: [{
        type: "pie", radius: ["35%", "65%"], name: name,
        data: labels.map(function (label, i) { return { name: label, value: values[i] }; })
      }]
    };
  }

  function funnel(stages, name) {
    return {
      tooltip: { trigger: "item" },
      series: [{ type: "funnel", name: name, sort: "none", left: "10%", width: "80%", data: stages,
                 label: { show: true, position: "inside", formatter: "{b}: {c}" } }]
    };
  }

  // Reads the json_script element `dataId`, asks `build(data)` for {chartName: option}
  // and draws each option on the elements matching `selector` with that data-chart.
  function mount(dataId, selector, build) {
    function draw() {
      var source = document.getElementById(dataId);
      if (!source || !window.echarts) return;
      var options = build(JSON.parse(source.textContent));
      var charts = [];
      document.querySelectorAll(selector + "[data-chart]").forEach(function (element) {
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
  }

  window.KejinCharts = { bars: bars, pie: pie, funnel: funnel, mount: mount };
})();
