/* storyline: the zoomable timeline. Reads its entries from the JSON endpoint named in the chart's
   data-src attribute (fetch, same origin), draws them as positioned HTML cards over a date axis,
   and lets the reader zoom (buttons, wheel, + and -) and pan (drag, buttons, arrow keys). Every card
   links to its evidence span in the article reader. Text is only ever set with textContent. */
(function () {
  "use strict";
  var chart = document.getElementById("timeline-chart");
  if (!chart || !window.fetch) { return; }
  var controls = document.querySelector(".chart-controls");
  var rangeOut = document.getElementById("timeline-range");
  var DAY = 86400000;
  var MIN_SPAN = 3 * DAY;
  var MAX_SPAN = 200 * 365 * DAY;
  var LANE = 66;
  var AXIS = 30;
  var items = [];
  var full = null;
  var view = null;
  var axis = null;

  function utc(y, m, d) { return Date.UTC(y, m, d); }

  function isoWeekStart(year, week) {
    var jan4 = new Date(utc(year, 0, 4));
    var dow = (jan4.getUTCDay() + 6) % 7; /* Monday = 0 */
    return utc(year, 0, 4) - dow * DAY + (week - 1) * 7 * DAY;
  }

  /* The stretch of time an ISO value covers: [start, end) in ms, or null. */
  function dateRange(value) {
    var m;
    if (typeof value !== "string") { return null; }
    if ((m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value))) {
      var d = utc(+m[1], +m[2] - 1, +m[3]);
      return { start: d, end: d + DAY };
    }
    if ((m = /^(\d{4})-W(\d{2})$/.exec(value))) {
      var w = isoWeekStart(+m[1], +m[2]);
      return { start: w, end: w + 7 * DAY };
    }
    if ((m = /^(\d{4})-(\d{2})$/.exec(value))) {
      return { start: utc(+m[1], +m[2] - 1, 1), end: utc(+m[1], +m[2], 1) };
    }
    if ((m = /^(\d{4})$/.exec(value))) {
      return { start: utc(+m[1], 0, 1), end: utc(+m[1] + 1, 0, 1) };
    }
    return null;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function fmtDay(ms) {
    var d = new Date(ms);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
  }

  function span(cls, text) {
    var el = document.createElement("span");
    el.className = cls;
    el.textContent = text;
    return el;
  }

  function build(entries) {
    entries.forEach(function (e) {
      var range = dateRange(e.date);
      if (!range) { return; }
      var card = document.createElement(e.href ? "a" : "div");
      card.className = "tl-card";
      if (e.href) { card.href = e.href; }
      card.dataset.entry = e.id;
      card.title = e.what;
      var who = (e.participants || []).join(", ");
      var n = (e.outlets || []).length;
      card.appendChild(span("tl-card-date", e.date + " · " + e.precision + (e.planned ? " · planned" : "")));
      card.appendChild(span("tl-card-what", e.type + ": " + e.what));
      card.appendChild(span("tl-card-who", (who ? who + " · " : "") + n + (n === 1 ? " outlet" : " outlets")));
      var bar = document.createElement("div");
      bar.className = "tl-bar";
      bar.setAttribute("aria-hidden", "true");
      chart.appendChild(bar);
      chart.appendChild(card);
      items.push({ entry: e, range: range, card: card, bar: bar });
    });
    items.sort(function (a, b) { return a.range.start - b.range.start; });
    axis = document.createElement("div");
    axis.className = "tl-axis";
    axis.setAttribute("aria-hidden", "true");
    chart.appendChild(axis);
    full = fit();
    view = { start: full.start, end: full.end };
  }

  /* The view that shows every entry, its card included, with a little air on both sides. */
  function fit() {
    if (!items.length) {
      var now = Date.now();
      return { start: now - 180 * DAY, end: now + 30 * DAY };
    }
    var width = chart.clientWidth || 800;
    var cardPx = items[0].card.offsetWidth || 184;
    var frac = Math.min(cardPx / width, 0.6);
    var lo = items[0].range.start;
    var hiStart = Math.max.apply(null, items.map(function (i) { return i.range.start; }));
    var hiEnd = Math.max.apply(null, items.map(function (i) { return i.range.end; }));
    var total = Math.max((hiStart - lo) / (0.96 - frac), (hiEnd - lo) / 0.96, 30 * DAY);
    var start = lo - 0.02 * total;
    return { start: start, end: start + total };
  }

  /* Axis ticks at least 80 px apart: the finest of days, weeks, months, quarters, years, decades
     that fits the width. */
  var STEPS = [
    { days: 1 }, { days: 2 }, { days: 7 }, { months: 1 }, { months: 3 }, { months: 6 },
    { years: 1 }, { years: 2 }, { years: 5 }, { years: 10 }, { years: 25 }, { years: 50 }
  ];
  function ticks(start, end, width) {
    var perPx = (end - start) / Math.max(width, 1);
    var step = STEPS[STEPS.length - 1];
    for (var i = 0; i < STEPS.length; i += 1) {
      var s = STEPS[i];
      var approx = (s.days || 0) * DAY + (s.months || 0) * 30.4 * DAY + (s.years || 0) * 365.25 * DAY;
      if (approx / perPx >= 80) { step = s; break; }
    }
    var out = [];
    var first = new Date(start);
    var t;
    if (step.days) {
      t = utc(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate());
      for (; t <= end; t += step.days * DAY) { out.push({ t: t, label: fmtDay(t) }); }
    } else if (step.months) {
      var m = first.getUTCMonth() - first.getUTCMonth() % step.months;
      for (var k = 0; ; k += step.months) {
        t = utc(first.getUTCFullYear(), m + k, 1);
        if (t > end) { break; }
        var d = new Date(t);
        out.push({ t: t, label: d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) });
      }
    } else {
      for (var y = Math.floor(first.getUTCFullYear() / step.years) * step.years; utc(y, 0, 1) <= end; y += step.years) {
        out.push({ t: utc(y, 0, 1), label: String(y) });
      }
    }
    return out.filter(function (tk) { return tk.t >= start; });
  }

  function render() {
    var width = chart.clientWidth || 800;
    var total = view.end - view.start;
    var x = function (t) { return (t - view.start) / total * width; };
    var lanes = [];
    items.forEach(function (it) {
      var left = x(it.range.start);
      var right = x(it.range.end);
      var cardWidth = it.card.offsetWidth || 184;
      var visible = right >= -cardWidth && left <= width;
      it.card.hidden = !visible;
      it.bar.hidden = !visible;
      if (!visible) { return; }
      var lane = 0;
      while (lane < lanes.length && lanes[lane] > left - 6) { lane += 1; }
      lanes[lane] = left + Math.max(cardWidth, right - left);
      var top = 8 + lane * LANE;
      it.card.style.left = left + "px";
      it.card.style.top = top + "px";
      it.bar.style.left = left + "px";
      it.bar.style.width = Math.max(right - left, 3) + "px";
      it.bar.style.top = (top + LANE - 12) + "px";
    });
    chart.style.height = (Math.max(lanes.length, 1) * LANE + AXIS + 16) + "px";
    while (axis.firstChild) { axis.removeChild(axis.firstChild); }
    ticks(view.start, view.end, width).forEach(function (tk) {
      var el = span("tl-tick", tk.label);
      el.style.left = x(tk.t) + "px";
      axis.appendChild(el);
    });
    var days = Math.round(total / DAY);
    chart.dataset.spanDays = String(days);
    chart.dataset.spanMs = String(total);
    chart.dataset.start = fmtDay(view.start);
    chart.dataset.end = fmtDay(view.end);
    if (rangeOut) { rangeOut.textContent = fmtDay(view.start) + " – " + fmtDay(view.end) + " (" + days + " days)"; }
  }

  function zoom(factor, center) {
    var total = view.end - view.start;
    var next = Math.min(Math.max(total * factor, MIN_SPAN), MAX_SPAN);
    if (center === undefined) { center = view.start + total / 2; }
    var ratio = (center - view.start) / total;
    view = { start: center - ratio * next, end: center - ratio * next + next };
    render();
  }

  function pan(fraction) {
    var shift = (view.end - view.start) * fraction;
    view = { start: view.start + shift, end: view.end + shift };
    render();
  }

  function reset() { full = fit(); view = { start: full.start, end: full.end }; render(); }

  function wire() {
    controls.addEventListener("click", function (ev) {
      var button = ev.target.closest("button[data-action]");
      if (!button) { return; }
      var action = button.dataset.action;
      if (action === "zoom-in") { zoom(0.5); }
      else if (action === "zoom-out") { zoom(2); }
      else if (action === "pan-left") { pan(-0.25); }
      else if (action === "pan-right") { pan(0.25); }
      else if (action === "reset") { reset(); }
    });
    chart.addEventListener("keydown", function (ev) {
      var handled = true;
      if (ev.key === "+" || ev.key === "=") { zoom(0.5); }
      else if (ev.key === "-" || ev.key === "_") { zoom(2); }
      else if (ev.key === "ArrowLeft") { pan(-0.1); }
      else if (ev.key === "ArrowRight") { pan(0.1); }
      else if (ev.key === "0" || ev.key === "Home") { reset(); }
      else { handled = false; }
      if (handled) { ev.preventDefault(); }
    });
    chart.addEventListener("wheel", function (ev) {
      if (!ev.deltaY) { return; }
      ev.preventDefault();
      var rect = chart.getBoundingClientRect();
      var center = view.start + (ev.clientX - rect.left) / rect.width * (view.end - view.start);
      zoom(ev.deltaY > 0 ? 1.25 : 0.8, center);
    }, { passive: false });
    var drag = null;
    chart.addEventListener("pointerdown", function (ev) {
      if (ev.button !== 0) { return; }
      drag = { x: ev.clientX, view: view, moved: false, id: ev.pointerId };
    });
    chart.addEventListener("pointermove", function (ev) {
      if (!drag) { return; }
      var dx = ev.clientX - drag.x;
      if (!drag.moved && Math.abs(dx) < 5) { return; }
      if (!drag.moved) { drag.moved = true; chart.classList.add("dragging"); chart.setPointerCapture(drag.id); }
      var shift = -dx / (chart.clientWidth || 800) * (drag.view.end - drag.view.start);
      view = { start: drag.view.start + shift, end: drag.view.end + shift };
      render();
    });
    function endDrag() {
      if (drag && drag.moved) {
        chart.classList.remove("dragging");
        var suppress = function (ev) { ev.preventDefault(); ev.stopPropagation(); };
        chart.addEventListener("click", suppress, { capture: true, once: true });
        setTimeout(function () { chart.removeEventListener("click", suppress, { capture: true }); }, 0);
      }
      drag = null;
    }
    chart.addEventListener("pointerup", endDrag);
    chart.addEventListener("pointercancel", endDrag);
    window.addEventListener("resize", render);
  }

  function fail(message) {
    chart.hidden = false;
    chart.textContent = "";
    chart.appendChild(span("notice", message));
  }

  fetch(chart.dataset.src, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      if (!data.ok) { fail("The timeline could not be loaded: " + data.error); return; }
      chart.hidden = false;
      controls.hidden = false;
      build(data.entries);
      wire();
      render();
      chart.dataset.ready = "true";
    })
    .catch(function (err) { fail("The timeline could not be loaded: " + err); });
}());
