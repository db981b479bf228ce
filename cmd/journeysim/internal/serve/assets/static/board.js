// The class board: polls the board every two seconds and ranks the teams
// on a key outcome, its better side first.
"use strict";

(function () {
  const name = document.body.dataset.board;
  if (!name) return;
  const $ = (id) => document.getElementById(id);
  let sortBy = 0;
  let data = null;

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function ranked() {
    const col = data.columns[sortBy] || { better: "" };
    const sign = col.better === "lower" ? 1 : -1;
    const value = (t) => (t.cells && t.cells[sortBy] && t.cells[sortBy].value !== null ? t.cells[sortBy].value : null);
    return data.teams.slice().sort((a, b) => {
      const va = value(a), vb = value(b);
      if (va === null && vb === null) return 0;
      if (va === null) return 1;
      if (vb === null) return -1;
      return sign * (va - vb);
    });
  }

  function draw() {
    $("facts").textContent = data.facts;
    $("empty").hidden = data.teams.length > 0;
    $("empty").textContent = "No team has submitted yet." + (data.columns.length ? " Teams will be ranked on: " + data.columns.map((c) => c.label).join("; ") + "." : "");
    const t = $("board");
    t.replaceChildren();
    if (data.teams.length === 0) return;
    const head = el("thead");
    const hr = el("tr");
    hr.append(el("th", { scope: "col", class: "left" }, "#"), el("th", { scope: "col", class: "left" }, "team"), el("th", { scope: "col", class: "left" }, "strategy"));
    data.columns.forEach((c, i) => {
      const th = el("th", { scope: "col", class: "sortable" });
      const b = el("button", { type: "button" }, c.label + (i === sortBy ? (c.better === "lower" ? " ▲" : " ▼") : ""));
      b.addEventListener("click", () => {
        sortBy = i;
        draw();
      });
      th.append(b);
      hr.append(th);
    });
    head.append(hr);
    const tb = el("tbody");
    ranked().forEach((team, i) => {
      const tr = el("tr");
      tr.append(el("td", { class: "left" }, String(i + 1)), el("th", { scope: "row", class: "left" }, team.team), el("td", { class: "settings" }, team.settings));
      if (team.status !== "done") {
        const td = el("td", { colspan: String(Math.max(1, data.columns.length)) }, team.status === "running" ? "running…" : "failed: " + (team.message || ""));
        tr.append(td);
      } else {
        team.cells.forEach((c) => tr.append(el("td", {}, c.text)));
      }
      tb.append(tr);
    });
    t.append(head, tb);
    const exp = $("expect");
    if (data.revealed && data.expect) {
      exp.querySelector("p").textContent = data.expect;
      exp.hidden = false;
    }
    document.body.dataset.teams = String(data.teams.filter((t) => t.status === "done").length);
  }

  async function poll() {
    try {
      const r = await fetch("/api/lessons/" + encodeURIComponent(name) + "/board", { cache: "no-store" });
      if (!r.ok) throw new Error((await r.json().catch(() => ({}))).error || r.statusText);
      data = await r.json();
      data.teams = data.teams || [];
      data.columns = data.columns || [];
      $("error").textContent = "";
      draw();
    } catch (e) {
      $("error").textContent = String(e.message || e);
    }
    setTimeout(poll, 2000);
  }

  const reveal = $("reveal");
  if (reveal) {
    reveal.addEventListener("click", async () => {
      await fetch("/api/lessons/" + encodeURIComponent(name) + "/reveal", { method: "POST" });
      reveal.disabled = true;
    });
  }
  poll();
})();
