// Chain pages: the zone filter submits on change, and the chain view draws its tree with
// Apache ECharts (vendored) from the figures passed by json_script (#chain-data). Every
// figure is also in the table below the chart, so the page reads the same without it.
(function () {
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select instanceof HTMLSelectElement && select.hasAttribute("data-autosubmit") && select.form) {
      select.form.submit();
    }
  });

  var COLORS = { gap: "#dc3545", financed: "#198754", empty: "#adb5bd", root: "#0d6efd" };

  function colour(node) {
    if (!node.url) return COLORS.root;
    if (node.gap) return COLORS.gap;
    if (node.value > 0) return COLORS.financed;
    return COLORS.empty;
  }

  function decorate(node) {
    node.itemStyle = { color: colour(node), borderColor: colour(node) };
    node.symbolSize = node.url ? 10 + Math.min(node.value || 0, 20) : 14;
    if (node.gap) node.label = { color: COLORS.gap, fontWeight: "bold" };
    (node.children || []).forEach(decorate);
    return node;
  }

  function draw() {
    var source = document.getElementById("chain-data");
    var element = document.getElementById("chain-chart");
    if (!source || !element || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var text = data.text;
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: function (params) {
          var d = params.data;
          if (!d.url) return d.name;
          var lines = [
            "<strong>" + window.echarts.format.encodeHTML(d.name) + "</strong> · " + d.segmentLabel,
            text.enterprises + ": " + d.value,
            text.verified + ": " + d.verified,
            text.matched + ": " + d.matched,
            text.leads + ": " + d.leads,
            text.financed + ": ¥" + d.financed
          ];
          if (d.gap) lines.push("<span style=\"color:" + COLORS.gap + "\">" + text.gap + "</span>");
          return lines.join("<br>");
        }
      },
      series: [{
        type: "tree",
        data: [decorate(data.tree)],
        top: 16, bottom: 16, left: 96, right: 200,
        initialTreeDepth: -1,
        expandAndCollapse: false,
        label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 13 },
        leaves: { label: { position: "right", verticalAlign: "middle", align: "left" } },
        emphasis: { focus: "descendant" }
      }]
    });
    chart.on("click", function (params) {
      if (params.data && params.data.url) window.location.assign(params.data.url);
    });
    element.setAttribute("data-rendered", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawEcosystem() {
    var source = document.getElementById("ecosystem-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var options = {
      funnel: {
        tooltip: { trigger: "item" },
        series: [{ type: "funnel", sort: "none", left: "10%", width: "80%", name: data.text.enterprises,
                   data: data.funnel, label: { show: true, position: "inside", formatter: "{b}: {c}" } }]
      },
      chains: {
        tooltip: { trigger: "axis" },
        legend: { bottom: 0 },
        grid: { left: 40, right: 16, top: 16, bottom: 56, containLabel: true },
        xAxis: { type: "category", data: data.chains.labels },
        yAxis: { type: "value", minInterval: 1 },
        series: data.chains.series.map(function (s) { return { type: "bar", name: s.name, data: s.values }; })
      }
    };
    document.querySelectorAll(".ecosystem-chart[data-chart]").forEach(function (element) {
      var option = options[element.getAttribute("data-chart")];
      if (!option) return;
      var chart = window.echarts.init(element);
      chart.setOption(option);
      element.setAttribute("data-rendered", "true");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function start() {
    draw();
    drawEcosystem();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
