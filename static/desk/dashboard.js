/* The dashboard's charts (Apache ECharts, served by the app). The numbers are in the table beside each. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dash-data").textContent);
  var palette = ["#1d5fa8", "#c2410c", "#15803d", "#7c3aed", "#b45309", "#0e7490", "#be123c", "#4d7c0f"];
  function bars(labels, series) {
    return {
      color: palette,
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 12, top: 32, bottom: 60 },
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 5 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: series
    };
  }
  var options = {
    categories: bars(data.categories.labels, [
      { name: "户数", type: "bar", data: data.categories.households },
      { name: "人数", type: "bar", data: data.categories.people }
    ]),
    overlap: bars(data.overlap.labels, [
      { name: "同时纳入监测", type: "bar", stack: "all", data: data.overlap["with"] },
      { name: "未纳入监测", type: "bar", stack: "all", data: data.overlap.without }
    ]),
    stages: bars(data.stages.labels, data.stages.kinds.map(function (k) {
      return { name: k.name, type: "bar", stack: "all", data: k.data };
    })),
    warnings: bars(data.warnings.labels, [
      { name: "按时反馈", type: "bar", stack: "all", data: data.warnings.on_time },
      { name: "未按时或未反馈", type: "bar", stack: "all", data: data.warnings.late }
    ]),
    deliveries: bars(data.deliveries.months, data.deliveries.series.map(function (s) {
      return { name: s.name, type: "line", data: s.data };
    }))
  };
  options.deliveries.legend = { top: 0, type: "scroll" };
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var option = options[el.getAttribute("data-chart")];
    if (!option || typeof echarts === "undefined") { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
}());
