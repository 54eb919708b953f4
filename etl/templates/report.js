"use strict";
// The report's behaviour: draws the timeline and the network with plotly.js, filters them and the
// tables, and opens a fact's evidence in its article with the quoted words marked.
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const COLOURS = {
    "https://w3id.org/newskg/stance/asserts": "#c0392b",
    "https://w3id.org/newskg/stance/denies": "#27ae60",
    "https://w3id.org/newskg/stance/speculates": "#d68910",
    "https://w3id.org/newskg/status/held": "#34495e",
    "https://w3id.org/newskg/status/planned": "#85929e",
    "https://w3id.org/newskg/status/ongoing": "#5d6d7e",
    meeting: "#34495e",
    claim: "#7d3c98",
  };
  const STATE_PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#ff7f0e",
    "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363"];
  const MS_PER_DAY = 86400000;
  const facts = new Map([...data.claims, ...data.meetings].map((f) => [f.id, f]));
  const actors = new Map(data.actors.map((a) => [a.id, a]));
  const stateColour = new Map(data.states.map((s, i) => [s, STATE_PALETTE[i % STATE_PALETTE.length]]));
  const label = (iri) => (iri && data.labels[iri]) || (iri ? iri.split("/").pop() : "");
  const filters = { state: "", stance: "", materiel: "" };
  const stateName = (state) => (state ? data.state_labels[state] : "no state");

  const PLOT_CONFIG = { displaylogo: false, responsive: true };

  // A redraw keeps one click handler: the one for what is drawn now.
  function onClick(div, handler) {
    div.removeAllListeners("plotly_click");
    div.on("plotly_click", (ev) => ev.points.length && handler(ev.points[0].customdata));
  }

  function factActors(fact) {
    return [fact.supplier, fact.recipient, fact.claimant, ...(fact.participants || [])].filter(Boolean);
  }

  function factVisible(fact) {
    if (filters.state && !factActors(fact).some((iri) => (actors.get(iri) || {}).state === filters.state)) return false;
    if (filters.stance && fact.stance !== filters.stance) return false;
    if (filters.materiel && !(fact.materiel || []).includes(filters.materiel)) return false;
    return true;
  }

  // ------------------------------------------------------------ timeline
  function drawTimeline() {
    const events = data.events.filter((e) => factVisible(facts.get(e.id)));
    const groups = new Map();
    for (const e of events) {
      if (!groups.has(e.group)) groups.set(e.group, []);
      groups.get(e.group).push(e);
    }
    const traces = [...groups.entries()].map(([group, items]) => ({
      type: "bar",
      orientation: "h",
      name: (items[0].kind === "meeting" ? "meeting, " : "claim, ") + label(group),
      base: items.map((e) => e.start),
      x: items.map((e) => (Date.parse(e.end) - Date.parse(e.start)) || MS_PER_DAY),
      y: items.map((e) => e.id),
      customdata: items.map((e) => e.id),
      text: items.map((e) => `${e.label} · ${e.text} (${e.precision}${e.dated_by === "publication" ? ", article date" : ""})`),
      hovertemplate: "%{text}<extra></extra>",
      textposition: "none",
      marker: {
        color: COLOURS[group] || COLOURS[items[0].kind],
        pattern: { shape: items.map((e) => (e.dated_by === "publication" ? "/" : "")) },
      },
    }));
    const layout = {
      barmode: "overlay",
      height: Math.max(260, 90 + 24 * events.length),
      margin: { l: 260, r: 20, t: 10, b: 40 },
      xaxis: { type: "date" },
      yaxis: {
        type: "category",
        categoryorder: "array",
        categoryarray: events.map((e) => e.id).reverse(),
        tickvals: events.map((e) => e.id),
        ticktext: events.map((e) => (e.label.length > 38 ? e.label.slice(0, 37) + "…" : e.label)),
        automargin: false,
      },
      legend: { orientation: "h", y: -0.08 },
    };
    const div = document.getElementById("timeline");
    div.dataset.events = String(events.length);
    return Plotly.react(div, traces, layout, PLOT_CONFIG).then(() => onClick(div, (id) => openFact(id, 0)));
  }

  // ------------------------------------------------------------ network
  function drawNetwork() {
    const net = data.network;
    const edges = net.edges.filter((e) => factVisible(facts.get(e.fact)));
    const filtering = filters.state || filters.stance || filters.materiel;
    const shown = new Set(filtering ? edges.flatMap((e) => [e.source, e.target]) : Object.keys(net.positions));
    const at = (id) => net.positions[id];
    const spokes = { type: "scatter", mode: "lines", name: "meetings", x: [], y: [], hoverinfo: "skip",
      line: { color: "#aab7c4", width: 2 }, showlegend: false };
    const facts_ = { type: "scatter", mode: "markers", name: "facts", x: [], y: [], text: [], customdata: [],
      hovertemplate: "%{text}<extra></extra>", marker: { size: [], symbol: "diamond", color: [] }, showlegend: false };
    const annotations = [];
    const seen = new Map();
    const pairKey = (e) => [e.source, e.target].sort().join(" ");
    const perPair = new Map();
    for (const e of edges) if (e.kind === "claim") perPair.set(pairKey(e), (perPair.get(pairKey(e)) || 0) + 1);
    for (const hub of net.hubs.filter((id) => shown.has(id))) {
      const meeting = facts.get(hub);
      facts_.x.push(at(hub)[0]);
      facts_.y.push(at(hub)[1]);
      facts_.customdata.push(hub);
      facts_.text.push(`meeting (${label(meeting.status)}): ${meeting.label}${meeting.time ? ", " + meeting.time.text : ""}`);
      facts_.marker.color.push(COLOURS[meeting.status] || COLOURS.meeting);
      facts_.marker.size.push(11);
    }
    for (const e of edges) {
      const [ax, ay] = at(e.source), [bx, by] = at(e.target);
      if (e.kind === "meeting") {
        spokes.x.push(ax, bx, null);
        spokes.y.push(ay, by, null);
        continue;
      }
      const colour = COLOURS[e.stance] || COLOURS.claim;
      annotations.push({ x: bx, y: by, ax, ay, xref: "x", yref: "y", axref: "x", ayref: "y", text: "",
        showarrow: true, arrowhead: 2, arrowsize: 1.2, arrowwidth: 2, arrowcolor: colour, standoff: 9, startstandoff: 9, opacity: 0.8 });
      const pair = pairKey(e), count = perPair.get(pair);
      const nth = seen.get(pair) || 0; // several claims between one pair: their markers spread along it
      seen.set(pair, nth + 1);
      const t = 0.5 + (nth - (count - 1) / 2) * Math.min(0.12, 0.6 / count);
      facts_.x.push(ax + (bx - ax) * t);
      facts_.y.push(ay + (by - ay) * t);
      facts_.customdata.push(e.fact);
      const claim = facts.get(e.fact);
      facts_.text.push(`${label(e.stance)}: ${claim.label} (${e.materiel.map(label).join(", ")})`);
      facts_.marker.color.push(colour);
      facts_.marker.size.push(8);
    }
    const nodes = data.actors.filter((a) => shown.has(a.id) && net.positions[a.id]);
    const byState = new Map();
    for (const n of nodes) {
      const key = n.state || "";
      if (!byState.has(key)) byState.set(key, []);
      byState.get(key).push(n);
    }
    const nodeTraces = [...byState.entries()].sort(([a], [b]) => stateName(a).localeCompare(stateName(b))).map(([state, items]) => ({
      type: "scatter", mode: "markers+text", name: stateName(state),
      x: items.map((n) => at(n.id)[0]), y: items.map((n) => at(n.id)[1]), text: items.map((n) => n.label),
      customdata: items.map((n) => n.id), textposition: "top center",
      hovertemplate: "%{text}" + "<extra>" + stateName(state) + "</extra>",
      marker: { size: items.map((n) => (n.kind === "state" ? 22 : 14)), color: stateColour.get(state) || "#7f7f7f",
        line: { color: "#fff", width: 1.5 } },
    }));
    const axis = { visible: false, zeroline: false };
    const div = document.getElementById("network");
    div.dataset.nodes = String(nodes.length);
    div.dataset.edges = String(edges.length);
    return Plotly.react(div, [spokes, facts_, ...nodeTraces],
      { height: 600, margin: { l: 10, r: 10, t: 10, b: 10 }, xaxis: axis, yaxis: { ...axis, scaleanchor: "x" },
        annotations, legend: { title: { text: "state" } }, hovermode: "closest" },
      PLOT_CONFIG).then(() => onClick(div, (id) => {
      if (facts.has(id)) openFact(id, 0);
      else if (actors.has(id) && actors.get(id).wikidata) window.open(actors.get(id).wikidata, "_blank", "noopener");
    }));
  }

  // ------------------------------------------------------------ tables and filters
  function filterTables() {
    let visible = 0;
    for (const row of document.querySelectorAll("tr.fact-row")) {
      const show = factVisible(facts.get(row.dataset.fact));
      row.classList.toggle("hidden", !show);
      visible += show ? 1 : 0;
    }
    document.getElementById("filter-count").textContent = `${visible} of ${facts.size} facts shown`;
  }

  function redraw() {
    filterTables();
    return Promise.all([drawTimeline(), drawNetwork()]).then(() => {
      document.body.dataset.rendered = "true";
    });
  }

  for (const name of Object.keys(filters)) {
    document.getElementById(`filter-${name}`).addEventListener("change", (ev) => {
      filters[name] = ev.target.value;
      document.body.dataset.rendered = "false";
      redraw();
    });
  }

  // ------------------------------------------------------------ the evidence reader
  function openFact(id, index) {
    const fact = facts.get(id);
    if (!fact) return;
    for (const row of document.querySelectorAll("tr.fact-row")) row.classList.toggle("selected", row.dataset.fact === id);
    const choice = document.getElementById("evidence-choice");
    choice.replaceChildren(...fact.evidence.map((ev, i) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = `${i + 1}: ${data.articles[ev.article] ? data.articles[ev.article].source : ev.article}`;
      button.className = i === index ? "current" : "";
      button.addEventListener("click", () => openFact(id, i));
      return button;
    }));
    showEvidence(fact, fact.evidence[index]);
  }

  function showEvidence(fact, ev) {
    const head = document.getElementById("reader-head");
    const body = document.getElementById("article-text");
    document.getElementById("reader-hint").hidden = true;
    if (!ev) {
      head.textContent = `${fact.label}: no evidence recorded`;
      body.replaceChildren();
      return;
    }
    const article = data.articles[ev.article] || { source: ev.article, headline: "", text: null };
    const title = document.createElement("strong");
    title.textContent = article.headline || article.source;
    const where = document.createElement("div");
    where.className = "muted";
    where.textContent = `${article.source}, characters ${ev.start}–${ev.end}`;
    head.replaceChildren(title, where);
    const mark = document.createElement("mark");
    mark.id = "evidence-mark";
    mark.dataset.start = String(ev.start);
    mark.dataset.end = String(ev.end);
    if (article.text !== null && ev.shown) {
      const chars = Array.from(article.text); // offsets count code points, as Python does
      mark.textContent = chars.slice(ev.shown[0], ev.shown[1]).join("");
      body.replaceChildren(document.createTextNode(chars.slice(0, ev.shown[0]).join("")), mark,
        document.createTextNode(chars.slice(ev.shown[1]).join("")));
    } else {
      mark.textContent = ev.exact;
      const note = document.createElement("p");
      note.className = "muted";
      note.textContent = "The article's text is not in this report; the quoted words with their context:";
      body.replaceChildren(note, document.createTextNode("…" + ev.prefix), mark, document.createTextNode(ev.suffix + "…"));
    }
    mark.scrollIntoView({ block: "center" });
  }

  for (const row of document.querySelectorAll("tr.fact-row")) {
    row.addEventListener("click", (ev) => {
      if (ev.target.closest("a")) return; // a Wikidata link opens itself
      openFact(row.dataset.fact, 0);
    });
    row.addEventListener("keydown", (ev) => ev.key === "Enter" && openFact(row.dataset.fact, 0));
  }

  redraw();
})();
