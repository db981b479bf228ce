// The lesson page: builds the controls from the lesson, reruns the
// scenario when one moves (a newer run cancels the one in progress), and
// shows the key results and the lesson's chart as they come back.
"use strict";

(function () {
  const name = document.body.dataset.lesson;
  if (!name) return;
  const $ = (id) => document.getElementById(id);
  let lesson = null;
  let running = null; // the AbortController of the run in progress
  let comparing = null; // the AbortController of the comparison in progress
  let lastRun = null; // {request, result} of the run shown
  const pins = []; // {request, summary}
  let baseline = 0;
  let timer = 0;
  const inputs = []; // one per control: {control, input, output, own}

  // decimals is how many decimals a step shows.
  function decimals(step) {
    const s = String(step);
    const i = s.indexOf(".");
    return i < 0 ? 0 : Math.min(6, s.length - i - 1);
  }

  function format(v, digits) {
    return new Intl.NumberFormat("en-GB", { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function strategy() {
    return $("strategy").value;
  }

  // ownValues sets every control to the strategy's own setting.
  function ownValues() {
    for (const c of inputs) {
      c.touched = false;
      const v = c.control.values[strategy()];
      if (c.control.switch) {
        c.input.checked = v === c.control.max;
      } else {
        c.input.value = v;
      }
      c.own.textContent = (c.control.scenario ? "the scenario's own: " : "this strategy's own: ") + (c.control.switch ? (v === c.control.max ? "on" : "off") : format(v, decimals(c.control.step)));
      show(c);
    }
    const st = lesson.strategies.find((s) => s.name === strategy());
    $("strategy-description").textContent = st && st.description ? st.description : "";
  }

  function show(c) {
    if (c.control.switch) return;
    c.output.textContent = format(Number(c.input.value), decimals(c.control.step));
  }

  // value is a control's setting, or null when it is the strategy's own:
  // untouched since the strategy was picked (a slider shows an own value
  // off its steps at the nearest step), or moved back to it.
  function value(c) {
    if (!c.touched) return null;
    const v = c.control.switch ? (c.input.checked ? c.control.max : c.control.min) : Number(c.input.value);
    return v === c.control.values[strategy()] ? null : v;
  }

  function buildControls() {
    const sel = $("strategy");
    for (const st of lesson.strategies) {
      sel.append(el("option", { value: st.name }, st.name + (st.name === lesson.baseline ? " (baseline)" : "")));
    }
    if (lesson.try) sel.value = lesson.try;
    sel.addEventListener("change", () => {
      ownValues();
      schedule(0);
    });
    const box = $("controls");
    lesson.controls.forEach((ctl, i) => {
      const wrap = el("div", { class: "control" });
      const id = "control-" + i;
      const c = { control: ctl };
      if (ctl.switch) {
        const row = el("label", { class: "switch", for: id });
        c.input = el("input", { type: "checkbox", id: id });
        row.append(c.input, document.createTextNode(" " + ctl.label));
        wrap.append(row);
        c.input.addEventListener("change", () => {
          c.touched = true;
          schedule(0);
        });
      } else {
        wrap.append(el("label", { class: "field", for: id }, ctl.label));
        const row = el("div", { class: "row" });
        c.input = el("input", { type: "range", id: id, min: ctl.min, max: ctl.max, step: ctl.step });
        c.output = el("output", { for: id });
        row.append(c.input, c.output);
        wrap.append(row);
        c.input.addEventListener("input", () => {
          c.touched = true;
          show(c);
          schedule(250);
        });
      }
      c.own = el("div", { class: "own" });
      wrap.append(c.own);
      box.append(wrap);
      inputs.push(c);
    });
    const size = $("size-controls");
    const sizeInput = (key, label, range, unit) => {
      const wrap = el("div", { class: "control" });
      const id = "size-" + key;
      wrap.append(el("label", { class: "field", for: id }, label));
      const row = el("div", { class: "row" });
      const input = el("input", { type: "range", id: id, min: range.min, max: range.max, step: 1 });
      input.value = range.default;
      const out = el("output", { for: id });
      const upd = () => (out.textContent = format(Number(input.value), 0) + (unit ? " " + unit : ""));
      upd();
      input.addEventListener("input", () => {
        upd();
        schedule(300);
      });
      row.append(input, out);
      wrap.append(row);
      if (range.full !== range.default) {
        const full = el("button", { type: "button" }, "Full size: " + format(range.full, 0));
        full.addEventListener("click", () => {
          input.value = range.full;
          upd();
          schedule(0);
        });
        wrap.append(full);
      }
      size.append(wrap);
      return input;
    };
    lesson.customersInput = sizeInput("customers", "Customers", lesson.customers, "");
    lesson.horizonInput = sizeInput("horizon", "Time simulated", lesson.horizon, lesson.tick + "s");
    ownValues();
  }

  // stream posts body to path and reads the answer, one JSON object a
  // line: onProgress for each progress, and the result, which it returns.
  // An error, the server's or the network's, is thrown.
  async function stream(path, body, signal, onProgress) {
    const resp = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: signal,
    });
    if (!resp.ok) {
      const e = await resp.json().catch(() => ({ error: resp.statusText }));
      throw new Error(e.error || resp.statusText);
    }
    const reader = resp.body.getReader();
    const dec = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value: chunk, done } = await reader.read();
      if (done) break;
      buf += dec.decode(chunk, { stream: true });
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = JSON.parse(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        if (line.progress !== undefined) onProgress(line.progress);
        if (line.error) throw new Error(line.error);
        if (line.result) return line.result;
      }
    }
    throw new Error("the server stopped before the result");
  }

  // schedule reruns after ms without another change.
  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  }

  function setProgress(f) {
    const p = $("progress");
    p.hidden = false;
    p.querySelector(".bar").style.width = Math.round(f * 100) + "%";
    p.querySelector(".text").textContent = "running… " + Math.round(f * 100) + "%";
  }

  async function run() {
    if (running) running.abort();
    const ctl = new AbortController();
    running = ctl;
    $("error").textContent = "";
    $("pin").disabled = true;
    setProgress(0);
    const body = {
      strategy: strategy(),
      values: inputs.map(value),
      customers: Number(lesson.customersInput.value),
      horizon: Number(lesson.horizonInput.value),
    };
    try {
      const result = await stream("/api/lessons/" + encodeURIComponent(name) + "/run", body, ctl.signal, setProgress);
      render(result);
      lastRun = { request: body };
      $("pin").disabled = false;
    } catch (e) {
      if (ctl.signal.aborted) return; // a newer run took over
      $("error").textContent = String(e.message || e);
    } finally {
      if (running === ctl) {
        running = null;
        $("progress").hidden = true;
      }
    }
  }

  // fillTable draws a table of {header, rows of {Text, Verdict}}.
  function fillTable(t, table) {
    t.replaceChildren();
    const head = el("thead");
    const hr = el("tr");
    table.header.forEach((h) => hr.append(el("th", { scope: "col" }, h)));
    head.append(hr);
    const tb = el("tbody");
    for (const row of table.rows) {
      const tr = el("tr");
      row.forEach((cell, i) => {
        const td = el(i === 0 ? "th" : "td", i === 0 ? { scope: "row" } : {}, cell.Text);
        if (cell.Verdict) {
          td.classList.add(cell.Verdict === "better" ? "better" : cell.Verdict === "worse" ? "worse" : "other");
          td.append(el("span", { class: "verdict" }, cell.Verdict));
        }
        tr.append(td);
      });
      tb.append(tr);
    }
    t.append(head, tb);
  }

  // describe says what a request tries, in words.
  function describe(req) {
    const parts = [req.strategy];
    lesson.controls.forEach((c, i) => {
      const v = req.values[i];
      if (v === null || v === undefined || v === c.values[req.strategy]) return;
      parts.push(c.label + ": " + (c.switch ? (v === c.max ? "on" : "off") : format(v, decimals(c.step))));
    });
    return parts.join(" · ") + " · " + format(req.customers, 0) + " customers";
  }

  // download posts the pinned runs for export and saves what comes back.
  async function download(as) {
    const status = $("export-status");
    status.textContent = "preparing the " + (as === "report" ? "report" : "result folder") + "…";
    try {
      const r = await fetch("/api/lessons/" + encodeURIComponent(name) + "/export?as=" + as, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ pins: pins.map((p) => p.request), baseline: baseline }),
      });
      if (!r.ok) {
        const e = await r.json().catch(() => ({ error: r.statusText }));
        throw new Error(e.error || r.statusText);
      }
      const blob = await r.blob();
      const a = el("a", { href: URL.createObjectURL(blob), download: name + "-pinned." + (as === "report" ? "html" : "zip") });
      document.body.append(a);
      a.click();
      a.remove();
      status.textContent = "";
    } catch (e) {
      status.textContent = String(e.message || e);
    }
  }

  function drawPins() {
    const list = $("pins");
    list.replaceChildren();
    pins.forEach((p, i) => {
      const li = el("li");
      const id = "baseline-" + i;
      const radio = el("input", { type: "radio", name: "baseline", id: id });
      radio.checked = i === baseline;
      radio.addEventListener("change", () => {
        baseline = i;
        compare();
      });
      const lab = el("label", { for: id }, " baseline");
      const rm = el("button", { type: "button" }, "remove");
      rm.addEventListener("click", () => {
        pins.splice(i, 1);
        // The baseline stays the pin it was, unless it is the one removed.
        if (i < baseline) baseline--;
        else if (i === baseline) baseline = 0;
        drawPins();
        compare();
      });
      li.append(document.createTextNode(describe(p.request) + " "), radio, lab, document.createTextNode(" "), rm);
      list.append(li);
    });
    $("pinned").hidden = pins.length === 0;
    $("export").hidden = pins.length < 2;
  }

  async function compare() {
    if (comparing) comparing.abort();
    $("compare-error").textContent = "";
    if (pins.length < 2) {
      $("compare-key").replaceChildren();
      $("compare").replaceChildren();
      $("compare-heading").hidden = true;
      $("compare-facts").textContent = pins.length ? "Pin another run to compare it with this one." : "";
      $("compare-note").textContent = "";
      return;
    }
    const ctl = new AbortController();
    comparing = ctl;
    const bar = $("compare-progress");
    bar.hidden = false;
    try {
      const r = await stream(
        "/api/lessons/" + encodeURIComponent(name) + "/compare",
        { pins: pins.map((p) => p.request), baseline: baseline },
        ctl.signal,
        (f) => {
          bar.querySelector(".bar").style.width = Math.round(f * 100) + "%";
          bar.querySelector(".text").textContent = "comparing… " + Math.round(f * 100) + "%";
        },
      );
      $("compare-facts").textContent = r.facts;
      fillTable($("compare-key"), r.key);
      fillTable($("compare"), r.comparison);
      $("compare-heading").hidden = false;
      $("compare-note").textContent = (r.notes || []).join(" ");
      document.body.dataset.compares = String(Number(document.body.dataset.compares || 0) + 1);
    } catch (e) {
      if (ctl.signal.aborted) return;
      $("compare-error").textContent = String(e.message || e);
    } finally {
      if (comparing === ctl) {
        comparing = null;
        bar.hidden = true;
      }
    }
  }

  function render(r) {
    $("facts").textContent = r.facts;
    $("note").textContent = r.note || "";
    fillTable($("key"), r.key);
    const fig = $("chart-figure");
    if (r.chart) {
      $("chart").src = r.chart;
      $("chart").alt = r.chart_title || "the lesson's chart";
      // The chart carries its own title.
      fig.hidden = false;
    } else {
      fig.hidden = true;
    }
    document.body.dataset.runs = String(Number(document.body.dataset.runs || 0) + 1);
  }

  fetch("/api/lessons/" + encodeURIComponent(name))
    .then((r) => (r.ok ? r.json() : r.json().then((e) => Promise.reject(new Error(e.error)))))
    .then((l) => {
      lesson = l;
      $("question").textContent = l.question || "";
      const exp = $("expect");
      if (l.expect) exp.querySelector("p").textContent = l.expect;
      else exp.hidden = true;
      buildControls();
      $("export-report").addEventListener("click", () => download("report"));
      $("export-folder").addEventListener("click", () => download("folder"));
      $("submit").addEventListener("click", async () => {
        const status = $("submit-status");
        status.textContent = "submitting…";
        try {
          const r = await fetch("/api/lessons/" + encodeURIComponent(name) + "/submit", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ team: $("team").value, run: { strategy: strategy(), values: inputs.map(value) } }),
          });
          const e = await r.json().catch(() => ({}));
          if (!r.ok) throw new Error(e.error || r.statusText);
          status.textContent = "Submitted for " + e.team + ": your strategy is on the class board.";
          document.body.dataset.submitted = "1";
        } catch (err) {
          status.textContent = String(err.message || err);
        }
      });
      $("pin").addEventListener("click", () => {
        if (!lastRun || pins.length >= 6) return;
        pins.push({ request: lastRun.request });
        $("pin").disabled = true;
        drawPins();
        compare();
      });
      run();
    })
    .catch((e) => ($("error").textContent = String(e.message || e)));
})();
