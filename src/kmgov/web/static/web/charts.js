/* Draws every chart of the page with the vendored ECharts (SVG renderer, no network).
   Each .chart element names the JSON script holding its option (data-chart) and, for a map,
   the GeoJSON of its regions (data-geo, registered under data-map). */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var drawn = [];
  document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
    var src = document.getElementById(el.dataset.chart);
    if (!src) { return; }
    var option = JSON.parse(src.textContent);
    if (el.dataset.map && el.dataset.geo) {
      echarts.registerMap(el.dataset.map, JSON.parse(document.getElementById(el.dataset.geo).textContent));
    }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.on("finished", function () { el.dataset.drawn = "1"; });
    chart.setOption(option);
    drawn.push(chart);
  });
  window.addEventListener("resize", function () {
    drawn.forEach(function (c) { c.resize(); });
  });
})();
