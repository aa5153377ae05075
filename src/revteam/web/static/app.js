// revteam pages: live SLA countdowns and charts drawn from data attributes (no inline scripts).
(function () {
  "use strict";

  function duration(seconds) {
    if (seconds < 0) return "overdue by " + duration(-seconds);
    var minutes = Math.floor(seconds / 60), hours = Math.floor(seconds / 3600);
    if (hours >= 48) return Math.floor(hours / 24) + " d " + (hours % 24) + " h";
    if (hours) return hours + " h " + String(minutes % 60).padStart(2, "0") + " min";
    return minutes ? minutes + " min" : Math.floor(seconds) + " s";
  }

  function tick() {
    document.querySelectorAll("[data-deadline]").forEach(function (badge) {
      var left = (Date.parse(badge.dataset.deadline) - Date.now()) / 1000;
      badge.textContent = duration(left) + (left < 0 ? "" : " left");
      badge.classList.toggle("bad", left < 0);
      badge.classList.toggle("warn", left >= 0 && left < 3600);
    });
  }

  function drawCharts(root) {
    if (!window.Chart) return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      var spec = JSON.parse(canvas.dataset.chart);
      spec.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, spec.options || {});
      var links = spec.links;
      delete spec.links;
      if (links) {
        spec.options.onClick = function (_event, elements) {
          if (elements.length && links[elements[0].index]) window.location.href = links[elements[0].index];
        };
      }
      new window.Chart(canvas, spec);
      canvas.dataset.drawn = "yes";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    setInterval(tick, 30000);
    drawCharts(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) { drawCharts(event.target); });
})();
