// Shared by the dashboards: Apache ECharts (vendored) options for bars, pies and funnels,
// and mounting them on the page's chart elements. Each page passes its figures with
// Django's json_script; every figure is also in a table, so pages read the same without
// JavaScript.
(function () {
  // Category labels: every one shown, rotated when many or long, cut at 7em with an
  // ellipsis (the tooltip, on hover of a bar or of the label, names it in full).
  function categoryLabels(labels) {
    var longest = labels.reduce(function (n, label) { return Math.max(n, String(label).length); }, 0);
    return {
      interval: 0,
      rotate: labels.length > 4 || longest > 6 ? 35 : 0,
      width: 96,
      overflow: "truncate",
      hideOverlap: false
    };
  }

  function bars(labels, series) {
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      legend: series.length > 1 ? { bottom: 0, type: "scroll" } : undefined,
      grid: { left: 48, right: 16, top: 24, bottom: series.length > 1 ? 72 : 64, containLabel: true },
      xAxis: {
        type: "category", data: labels, axisLabel: categoryLabels(labels),
        triggerEvent: true, axisTick: { alignWithLabel: true }
      },
      yAxis: { type: "value", minInterval: 1 },
      series: series.map(function (s) { return { type: "bar", name: s.name, data: s.values }; })
    };
  }

  // Slices of zero are left out: their labels would sit on top of one another.
  function pie(labels, values, name) {
    var data = labels
      .map(function (label, i) { return { name: label, value: values[i] }; })
      .filter(function (item) { return Number(item.value) > 0; });
    return {
      tooltip: { trigger: "item", confine: true },
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie", radius: ["35%", "65%"], name: name, data: data,
        label: { width: 96, overflow: "truncate" }, avoidLabelOverlap: true
      }]
    };
  }

  // A stage of zero keeps a sliver of width (minSize) and its label beside the funnel, so
  // zeros never pile up in the middle.
  function funnel(stages, name) {
    var data = stages.map(function (stage) {
      var zero = !(Number(stage.value) > 0);
      return Object.assign({}, stage, zero ? { label: { position: "right", color: "#212529" } } : {});
    });
    return {
      tooltip: { trigger: "item", confine: true },
      series: [{ type: "funnel", name: name, sort: "none", left: "10%", width: "65%", data: data,
                 minSize: "6%", gap: 2,
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
