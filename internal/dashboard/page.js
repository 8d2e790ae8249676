// The Engineering KPIs dashboard. Every string from the data files goes
// into the page as text (textContent, option text, uPlot's text legends),
// never as markup; links are made only of http(s) URLs.
(function () {
  "use strict";

  var DAY = 86400;
  var RANGES = { "28": 28, "91": 91, "365": 365, "all": 0 };
  var THEMES = ["auto", "light", "dark"];

  // state is the page's state, kept on window for the console and tests.
  var state = {
    ready: false,
    data: null,
    history: null,
    okr: null,
    repo: "",
    range: "all",
    theme: "auto",
    charts: []
  };
  window.kpiDashboard = state;

  function byId(id) { return document.getElementById(id); }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function isNum(v) { return typeof v === "number" && isFinite(v); }

  function dateTs(d) {
    if (typeof d !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(d)) return null;
    var t = Date.parse(d + "T00:00:00Z");
    return isNaN(t) ? null : t / 1000;
  }

  function tsDate(ts) { return new Date(ts * 1000).toISOString().slice(0, 10); }

  function round(v, d) { var p = Math.pow(10, d); return Math.round(v * p) / p; }

  // format writes a value of a unit the way the summary does.
  function format(unit, v) {
    if (!isNum(v)) return "–";
    switch (unit) {
      case "hours": return String(round(v, 2)) + " h";
      case "percent": return String(round(v * 100, 2)) + "%";
      case "count": return String(round(v, 2));
      default: return String(Number(v.toPrecision(4)));
    }
  }

  // age writes a waiting time in hours as "3d 4h", "3d", "5h" or "45m".
  function age(hours) {
    if (!isNum(hours) || hours < 0) return "–";
    var minutes = Math.floor(hours * 60 + 1e-6);
    var d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60);
    if (d > 0) return h > 0 ? d + "d " + h + "h" : d + "d";
    if (minutes >= 60) return Math.floor(minutes / 60) + "h";
    return minutes + "m";
  }

  function safeHref(u) {
    if (typeof u !== "string") return "";
    try {
      var p = new URL(u);
      return (p.protocol === "https:" || p.protocol === "http:") && p.host ? p.href : "";
    } catch (e) {
      return "";
    }
  }

  // A file name beside the page: no directories, no scheme, no host.
  function sibling(name) {
    return typeof name === "string" && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) ? name : "";
  }

  function fetchJSON(name) {
    return fetch(name, { cache: "no-cache" }).then(function (r) {
      if (!r.ok) throw new Error(name + ": HTTP " + r.status);
      return r.json();
    });
  }

  // fromIndex turns a history of schema 2 (an index whose "recent" holds
  // the last 200 days' figures a repository and settings, with the daily
  // Sentry figures a month a file under history/) into the snapshots and
  // sentry_days the page draws: the figures computed like the run (a
  // schema-1 series recorded only its clock and counts when that agrees).
  function fromIndex(h, settings) {
    if (!h || !h.recent) return Promise.resolve(h || {});
    var clockOf = function (k) { var m = /(?:^| )clock=(\S+)/.exec(k || ""); return m ? m[1] : ""; };
    var comparable = function (k) {
      return !settings || k === settings || ((/^clock=/.test(k) || /^clock=/.test(settings)) && clockOf(k) === clockOf(settings));
    };
    var snaps = [], at = {};
    (h.recent.series || []).forEach(function (s) {
      if (!s || typeof s.repository !== "string" || !comparable(s.settings)) return;
      var exact = s.settings === settings;
      (s.dates || []).forEach(function (d, i) {
        var key = s.repository + "\u0000" + d;
        if (at[key] && !exact) return;
        var snap = { date: d, repository: s.repository, metrics: {}, incomplete: [] };
        Object.keys(s.metrics || {}).forEach(function (m) { snap.metrics[m] = Array.isArray(s.metrics[m]) ? s.metrics[m][i] : null; });
        Object.keys(s.incomplete || {}).forEach(function (m) {
          if (Array.isArray(s.incomplete[m]) && s.incomplete[m].indexOf(d) >= 0) snap.incomplete.push(m);
        });
        if (at[key]) snaps[at[key] - 1] = snap; else { snaps.push(snap); at[key] = snaps.length; }
      });
    });
    snaps.sort(bySnapshot);
    // The index keeps the last 200 days. The days of the year before them
    // (history/YYYY-MM/YYYY-MM-DD.json, each holding every repository)
    // and their Sentry months are read only when the year is asked for.
    var recentFrom = typeof h.recent.from === "string" ? h.recent.from : "";
    var newest = snaps.reduce(function (m, s) { return s.date > m ? s.date : m; }, recentFrom);
    var yearAgo = dateTs(newest) !== null ? tsDate(dateTs(newest) - 365 * DAY) : "";
    var older = [];
    Object.keys(h.days || {}).forEach(function (m) {
      if (!/^[0-9]{4}-[0-9]{2}$/.test(m) || !Array.isArray(h.days[m])) return;
      h.days[m].forEach(function (n) {
        if (typeof n !== "number" || n < 1 || n > 31) return;
        var d = m + "-" + (n < 10 ? "0" : "") + n;
        if (d < recentFrom && d >= yearAgo) older.push(d);
      });
    });
    var validMonth = function (m) { return typeof m === "string" && /^[0-9]{4}-[0-9]{2}$/.test(m); };
    var sentryMonths = function (from, to) {
      return Promise.all((h.sentry_months || []).filter(function (m) { return validMonth(m) && m >= from && (!to || m < to); })
        .map(function (m) { return fetchJSON("history/" + m + "/sentry-days.json"); }))
        .then(function (parts) {
          var days = [];
          parts.forEach(function (p) { (p && Array.isArray(p.sentry_days) ? p.sentry_days : []).forEach(function (d) { days.push(d); }); });
          return days;
        });
    };
    var loadYear = null;
    if (older.length > 0) {
      loadYear = function (into) {
        var parts = Promise.all(older.map(function (d) {
          return fetchJSON("history/" + d.slice(0, 7) + "/" + d + ".json").catch(function () { return null; });
        }));
        return Promise.all([parts, sentryMonths(yearAgo.slice(0, 7), recentFrom.slice(0, 7))]).then(function (got) {
          // Indices into into.snapshots of the older days added here (the
          // recent ones' indices changed when they were sorted).
          var old = {};
          got[0].forEach(function (doc) {
            (doc && Array.isArray(doc.snapshots) ? doc.snapshots : []).forEach(function (s) {
              if (!s || typeof s.repository !== "string" || typeof s.date !== "string" || s.date >= recentFrom) return;
              var key = settingsKey(s.settings, s.clock);
              if (!comparable(key)) return;
              var k = s.repository + "\u0000" + s.date;
              var snap = { date: s.date, repository: s.repository, metrics: s.metrics || {}, incomplete: Array.isArray(s.incomplete) ? s.incomplete : [] };
              if (old[k] && key !== settings) return;
              if (old[k]) into.snapshots[old[k] - 1] = snap; else { into.snapshots.push(snap); old[k] = into.snapshots.length; }
            });
          });
          into.snapshots.sort(bySnapshot);
          into.sentry_days = got[1].concat(into.sentry_days);
        });
      };
    }
    return sentryMonths(recentFrom.slice(0, 7), "").then(function (days) {
      return { snapshots: snaps, sentry_days: days, loadYear: loadYear };
    });
  }

  function bySnapshot(a, b) {
    return a.date < b.date ? -1 : a.date > b.date ? 1 : a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : 0;
  }

  // settingsKey writes a snapshot's settings as the history's index names
  // them (history.Settings.Key): a schema-1 snapshot, with its clock only.
  function settingsKey(st, clock) {
    if (!st || typeof st !== "object") return "clock=" + (clock || "calendar");
    var k = "window=" + st.window + " sla=" + st.sla + " clock=" + st.clock;
    ["business_hours", "timezone", "holidays", "filter"].forEach(function (f) {
      if (st[f]) k += " " + f + "=" + st[f];
    });
    return k;
  }

  function setStatus(text, isError) {
    var s = byId("status");
    s.textContent = text;
    s.className = isError ? "error" : "";
  }

  // ---- theme ----

  function darkPreferred() {
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }

  function applyTheme() {
    var dark = state.theme === "dark" || (state.theme === "auto" && darkPreferred());
    document.documentElement.setAttribute("data-theme", dark ? "dark" : "light");
    byId("theme").textContent = "Theme: " + state.theme;
  }

  function loadTheme() {
    try {
      var t = window.localStorage.getItem("kpis-theme");
      if (THEMES.indexOf(t) >= 0) state.theme = t;
    } catch (e) { /* storage may be off: the theme is then not kept */ }
    applyTheme();
  }

  function nextTheme() {
    state.theme = THEMES[(THEMES.indexOf(state.theme) + 1) % THEMES.length];
    try { window.localStorage.setItem("kpis-theme", state.theme); } catch (e) { /* not kept */ }
    applyTheme();
    if (state.ready) drawCharts();
  }

  function colors() {
    var cs = getComputedStyle(document.documentElement);
    function v(name) { return cs.getPropertyValue(name).trim(); }
    return {
      fg: v("--fg"), muted: v("--muted"), grid: v("--grid"), sla: v("--sla"), target: v("--target"), path: v("--path"),
      lines: [v("--c1"), v("--c2"), v("--c3"), v("--c4"), v("--c5")]
    };
  }

  // ---- data ----

  function metricOf(name) {
    var ms = state.data.metrics || [];
    for (var i = 0; i < ms.length; i++) if (ms[i].name === name) return ms[i];
    return { name: name, title: name, unit: "count" };
  }

  function repositories() {
    var seen = {}, out = [];
    (state.history.snapshots || []).forEach(function (s) {
      if (typeof s.repository === "string" && !seen[s.repository]) {
        seen[s.repository] = true;
        out.push(s.repository);
      }
    });
    out.sort(function (a, b) { return a === "*" ? -1 : b === "*" ? 1 : a < b ? -1 : a > b ? 1 : 0; });
    return out;
  }

  function snapshotsOf(repo) {
    return (state.history.snapshots || []).filter(function (s) {
      return s.repository === repo && dateTs(s.date) !== null;
    });
  }

  // value is a snapshot's figure, or null when it has none or marks it
  // incomplete (charts never show an incomplete figure as right).
  function value(s, metric) {
    var v = s.metrics ? s.metrics[metric] : null;
    if (!isNum(v)) return null;
    if (Array.isArray(s.incomplete) && s.incomplete.indexOf(metric) >= 0) return null;
    return v;
  }

  function okrResults(repo, metrics) {
    var r = state.okr;
    if (!r || repo !== state.data.primary || !Array.isArray(r.key_results)) return [];
    return r.key_results.filter(function (kr) { return metrics.indexOf(kr.metric) >= 0 && isNum(kr.target); });
  }

  // ---- charts ----

  function chartUnit(def) {
    return def.percent ? "percent" : def.unit;
  }

  function labelOf(def, metric) {
    var i = def.metrics.indexOf(metric);
    return Array.isArray(def.labels) && typeof def.labels[i] === "string" ? def.labels[i] : metricOf(metric).title;
  }

  function buildChart(def, repo, snaps, c) {
    var present = def.metrics.filter(function (m) {
      return snaps.some(function (s) { return s.metrics && Object.prototype.hasOwnProperty.call(s.metrics, m); });
    });
    if (present.length === 0) return null;
    var unit = chartUnit(def);
    var days = {};
    snaps.forEach(function (s) { days[dateTs(s.date)] = true; });
    var daily = {};
    if (def.daily && Array.isArray(state.history.sentry_days)) {
      state.history.sentry_days.forEach(function (d) {
        var t = dateTs(d.date);
        if (t === null) return;
        days[t] = true;
        daily[t] = isNum(d.events) && isNum(d.users) && d.users > 0 ? d.events / d.users : null;
      });
    }
    var goals = okrResults(repo, present);
    var bounds = [];
    var start = null, end = null;
    if (goals.length > 0) {
      start = dateTs(state.okr.start);
      end = dateTs(state.okr.end);
      if (start !== null && end !== null) {
        end += DAY;
        days[start] = true;
        days[end] = true;
        bounds = [start, end];
      } else {
        goals = [];
      }
    }
    var xs = Object.keys(days).map(Number).sort(function (a, b) { return a - b; });
    var byDay = {};
    snaps.forEach(function (s) { byDay[dateTs(s.date)] = s; });

    var data = [xs];
    var series = [{
      label: "Date",
      value: function (u, ts) { return isNum(ts) ? tsDate(ts) : "–"; }
    }];
    function fmtValue(u, v) { return format(unit, v); }
    present.forEach(function (m, i) {
      data.push(xs.map(function (t) { return byDay[t] ? value(byDay[t], m) : null; }));
      series.push({
        label: labelOf(def, m),
        stroke: c.lines[i % c.lines.length],
        width: 2,
        value: fmtValue,
        show: m !== "review_wait_max_hours"
      });
    });
    if (def.daily && Object.keys(daily).length > 0) {
      data.push(xs.map(function (t) { return Object.prototype.hasOwnProperty.call(daily, t) ? daily[t] : null; }));
      series.push({ label: "Daily E/U", stroke: c.muted, width: 1, value: fmtValue });
    }
    if (def.sla && isNum(state.data.sla_hours)) {
      data.push(xs.map(function () { return state.data.sla_hours; }));
      series.push({ label: "SLA", stroke: c.sla, width: 1.5, dash: [6, 4], value: fmtValue, points: { show: false } });
    }
    goals.forEach(function (kr) {
      var name = labelOf(def, kr.metric);
      data.push(xs.map(function (t) { return t >= start && t <= end ? kr.target : null; }));
      series.push({ label: name + " target", stroke: c.target, width: 1.5, dash: [2, 3], value: fmtValue, points: { show: false } });
      if (isNum(kr.baseline)) {
        data.push(xs.map(function (t) {
          return t >= start && t <= end ? kr.baseline + (kr.target - kr.baseline) * (t - start) / (end - start) : null;
        }));
        series.push({ label: name + " expected path", stroke: c.path, width: 1.5, dash: [8, 4], value: fmtValue, points: { show: false } });
      }
    });
    return { def: def, unit: unit, metrics: present, data: data, series: series, bounds: bounds };
  }

  function yRange(unit) {
    return function (u, min, max) {
      if (!isNum(min) || !isNum(max)) return [0, unit === "percent" ? 1 : 1];
      if (unit === "percent") return [Math.min(0, min), Math.max(1, max)];
      var hi = max > 0 ? max * 1.08 : 1;
      return [Math.min(0, min), hi];
    };
  }

  function axisValues(unit) {
    return function (u, vals) {
      return vals.map(function (v) {
        if (!isNum(v)) return "";
        if (unit === "percent") return round(v * 100, 1) + "%";
        return String(Number(v.toPrecision(6)));
      });
    };
  }

  function boundsPlugin(bounds, color) {
    return {
      hooks: {
        draw: function (u) {
          if (bounds.length === 0) return;
          var ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = color;
          ctx.lineWidth = 1;
          ctx.setLineDash([3, 3]);
          bounds.forEach(function (t) {
            var x = Math.round(u.valToPos(t, "x", true));
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
          });
          ctx.restore();
        }
      }
    };
  }

  var syncing = false;

  function onScale(u, key) {
    if (key !== "x" || syncing) return;
    syncing = true;
    var min = u.scales.x.min, max = u.scales.x.max;
    state.charts.forEach(function (c) {
      if (c.u !== u) c.u.setScale("x", { min: min, max: max });
    });
    syncing = false;
  }

  function chartSize(node) {
    var w = Math.max(260, node.clientWidth);
    return { width: w, height: window.innerWidth < 640 ? 200 : 240 };
  }

  function drawCharts() {
    state.charts.forEach(function (c) { c.u.destroy(); });
    state.charts = [];
    var root = byId("charts");
    clear(root);
    var c = colors();
    var snaps = snapshotsOf(state.repo);
    (state.data.charts || []).forEach(function (def) {
      var built = buildChart(def, state.repo, snaps, c);
      if (!built) return;
      var card = el("article", null, "chart");
      card.setAttribute("data-chart", def.id);
      card.appendChild(el("h3", def.title));
      var plot = el("div", null, "plot");
      card.appendChild(plot);
      root.appendChild(card);
      var size = chartSize(plot);
      var opts = {
        width: size.width,
        height: size.height,
        tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
        cursor: { sync: { key: "kpis" }, drag: { x: true, y: false } },
        scales: { x: { time: true }, y: { range: yRange(built.unit) } },
        axes: [
          { stroke: c.fg, grid: { stroke: c.grid }, ticks: { stroke: c.grid } },
          { stroke: c.fg, grid: { stroke: c.grid }, ticks: { stroke: c.grid }, size: 56, values: axisValues(built.unit) }
        ],
        series: built.series,
        legend: { live: true },
        hooks: { setScale: [onScale] },
        plugins: [boundsPlugin(built.bounds, c.path)]
      };
      var u = new uPlot(opts, built.data, plot);
      state.charts.push({ id: def.id, metrics: built.metrics, u: u, node: plot });
    });
    if (state.charts.length === 0) {
      root.appendChild(el("p", "The history holds no figures for this repository.", "muted"));
    }
    applyRange();
  }

  function fullSpan() {
    var min = Infinity, max = -Infinity;
    state.charts.forEach(function (c) {
      var xs = c.u.data[0];
      if (xs.length > 0) {
        min = Math.min(min, xs[0]);
        max = Math.max(max, xs[xs.length - 1]);
      }
    });
    return isFinite(min) ? { min: min, max: max } : null;
  }

  function asOfDay() {
    var t = Date.parse(state.data.as_of);
    if (isNaN(t)) return null;
    return dateTs(new Date(t).toISOString().slice(0, 10));
  }

  function applyRange() {
    var span = fullSpan();
    if (!span) return;
    var days = RANGES[state.range];
    var min = span.min, max = span.max;
    if (days) {
      var last = asOfDay();
      if (last === null || last > span.max) last = span.max;
      max = last;
      min = last - (days - 1) * DAY;
    }
    if (min >= max) { min = max - DAY; }
    syncing = true;
    state.charts.forEach(function (c) { c.u.setScale("x", { min: min, max: max }); });
    syncing = false;
    Array.prototype.forEach.call(byId("ranges").querySelectorAll("button"), function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-range") === state.range ? "true" : "false");
    });
  }

  function resize() {
    state.charts.forEach(function (c) { c.u.setSize(chartSize(c.node)); });
  }

  // ---- tables ----

  function percentMetric(metric) {
    return (state.data.charts || []).some(function (c) { return c.percent && c.metrics.indexOf(metric) >= 0; });
  }

  function renderOKR() {
    var sec = byId("okr");
    var r = state.okr;
    if (!r || !Array.isArray(r.key_results) || r.key_results.length === 0) {
      sec.hidden = true;
      return;
    }
    sec.hidden = false;
    var period = r.quarter ? r.quarter : (r.start + " to " + r.end);
    byId("okr-objective").textContent = (r.objective || "") + " — " + period + ", " + state.data.primary + " (" + String(r.status || "no data").replace(/-/g, " ") + ")";
    var body = byId("okr-table").tBodies[0];
    clear(body);
    r.key_results.forEach(function (kr) {
      var unit = percentMetric(kr.metric) ? "percent" : kr.unit;
      var tr = el("tr");
      tr.appendChild(el("td", kr.title || kr.metric));
      tr.appendChild(el("td", format(unit, kr.baseline), "num"));
      tr.appendChild(el("td", format(unit, kr.current), "num"));
      tr.appendChild(el("td", format(unit, kr.expected), "num"));
      tr.appendChild(el("td", (kr.lower_is_better ? "≤ " : "≥ ") + format(unit, kr.target), "num"));
      var status = typeof kr.status === "string" ? kr.status : "";
      tr.appendChild(el("td", status.replace(/-/g, " "), /^[a-z-]+$/.test(status) ? "status-" + status : ""));
      body.appendChild(tr);
    });
  }

  function renderWaiting() {
    var note = byId("waiting-note");
    var table = byId("waiting-table");
    var body = table.tBodies[0];
    clear(body);
    var w = state.data.waiting ? state.data.waiting[state.repo] : null;
    var when = "as of " + String(state.data.as_of || "").replace("T", " ").replace("Z", " UTC");
    if (!w || !Array.isArray(w.longest)) {
      table.hidden = true;
      note.textContent = "The last run did not measure this repository, so there is no waiting list for it.";
      return;
    }
    if (w.longest.length === 0) {
      table.hidden = true;
      note.textContent = "No review request is waiting (" + when + ").";
      return;
    }
    table.hidden = false;
    var text = w.total + " waiting, " + w.over_sla + " longer than the SLA (" + when + ")";
    if (state.data.clock === "business") text += "; ages in working hours";
    if (w.total > w.longest.length) text += "; the " + w.longest.length + " longest:";
    note.textContent = text;
    w.longest.forEach(function (r) {
      var tr = el("tr");
      var pr = el("td");
      var label = (state.repo === "*" ? r.repository : "") + "#" + r.number + " " + r.title;
      var href = safeHref(r.url);
      if (href) {
        var a = el("a", label);
        a.href = href;
        a.rel = "noopener noreferrer";
        pr.appendChild(a);
      } else {
        pr.textContent = label;
      }
      tr.appendChild(pr);
      tr.appendChild(el("td", (r.team ? "team " : "") + r.reviewer));
      var ageCell = el("td", age(r.age_hours), "num");
      if (isNum(r.age_hours) && isNum(state.data.sla_hours) && r.age_hours > state.data.sla_hours) ageCell.className += " status-off-track";
      tr.appendChild(ageCell);
      body.appendChild(tr);
    });
  }

  // ---- state in the address ----

  function readHash() {
    var p = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    return { repo: p.get("repo"), range: p.get("range") };
  }

  function writeHash() {
    var p = new URLSearchParams();
    p.set("repo", state.repo);
    p.set("range", state.range);
    history.replaceState(null, "", "#" + p.toString());
  }

  // loadYear reads, once, the days of the year the index does not keep;
  // the charts are drawn again with them.
  function loadYear() {
    var load = state.history && state.history.loadYear;
    if (!load) return Promise.resolve();
    state.history.loadYear = null;
    state.loading = true;
    setStatus("Loading the year…");
    return load(state.history).then(function () {
      state.loading = false;
      showRepo();
    });
  }

  function chooseRange(range) {
    state.range = range;
    if (range === "365" && state.history && state.history.loadYear) {
      loadYear().then(function () { applyRange(); writeHash(); });
      return;
    }
    applyRange();
    writeHash();
  }

  function showRepo() {
    byId("repo").value = state.repo;
    renderWaiting();
    drawCharts();
    writeHash();
    var d = state.data;
    var parts = ["As of " + String(d.as_of || "").replace("T", " ").replace("Z", " UTC")];
    if (isNum(d.sla_hours)) parts.push("SLA " + format("hours", d.sla_hours));
    if (isNum(d.window_hours)) parts.push("window " + (d.window_hours % 24 === 0 ? d.window_hours / 24 + " days" : format("hours", d.window_hours)));
    if (d.clock === "business") parts.push("working-hours clock");
    setStatus(parts.join(" · "));
  }

  function start() {
    loadTheme();
    byId("theme").addEventListener("click", nextTheme);
    if (window.matchMedia) {
      var mq = window.matchMedia("(prefers-color-scheme: dark)");
      var onChange = function () { if (state.theme === "auto") { applyTheme(); if (state.ready) drawCharts(); } };
      if (mq.addEventListener) mq.addEventListener("change", onChange);
    }
    if (window.location.protocol === "file:") {
      setStatus("This page reads history.json beside it, which browsers do not allow from a file: serve the folder over HTTP (GitHub Pages, or e.g. python3 -m http.server).", true);
      return;
    }
    fetchJSON("dashboard.json").then(function (d) {
      state.data = d;
      var hist = sibling(d.history) || "history.json";
      var okr = sibling(d.okr_report);
      return Promise.all([fetchJSON(hist).then(function (h) { return fromIndex(h, d.settings); }), okr ? fetchJSON(okr) : Promise.resolve(null)]);
    }).then(function (got) {
      state.history = got[0] || {};
      state.okr = got[1];
      var repos = repositories();
      var select = byId("repo");
      clear(select);
      repos.forEach(function (r) {
        var o = el("option", r === "*" ? "All repositories (pooled)" : r);
        o.value = r;
        select.appendChild(o);
      });
      select.disabled = repos.length < 2;
      if (repos.length === 0) {
        setStatus("The history holds no snapshot yet.", true);
        return;
      }
      var h = readHash();
      state.repo = repos.indexOf(h.repo) >= 0 ? h.repo : repos.indexOf("*") >= 0 ? "*" : repos.indexOf(state.data.primary) >= 0 ? state.data.primary : repos[0];
      if (Object.prototype.hasOwnProperty.call(RANGES, h.range)) state.range = h.range;
      select.addEventListener("change", function () { state.repo = select.value; showRepo(); });
      Array.prototype.forEach.call(byId("ranges").querySelectorAll("button"), function (b) {
        b.addEventListener("click", function () { chooseRange(b.getAttribute("data-range")); });
      });
      var pending = 0;
      window.addEventListener("resize", function () {
        if (pending) cancelAnimationFrame(pending);
        pending = requestAnimationFrame(function () { pending = 0; resize(); });
      });
      renderOKR();
      showRepo();
      var ready = function () {
        state.ready = true;
        document.documentElement.setAttribute("data-ready", "true");
      };
      if (state.range === "365") return loadYear().then(ready);
      ready();
    }).catch(function (err) {
      setStatus("Could not load the KPI data: " + (err && err.message ? err.message : String(err)), true);
    });
  }

  start();
})();
