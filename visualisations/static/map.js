/* Draws a network map made on the server (visualisations/network_map.py).
 *
 * Positions arrive computed, so physics stays off for large maps and the
 * browser only draws. Every string from the data is set as text
 * (textContent, or a vis-network title string, which it shows as text). */
"use strict";
var GraphMap = (function () {
  var PHYSICS_UP_TO = 150; // small maps may settle themselves; larger ones do not move

  // An element holding a string as text: the one way pages put strings on screen.
  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (className) el.className = className;
    return el;
  }

  function fillLegend(list, legend) {
    if (!list) return;
    list.replaceChildren();
    legend.forEach(function (item) {
      var li = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = item.colour;
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(item.label));
      list.appendChild(li);
    });
  }

  // JSON from the service; a refusal becomes an Error carrying the service's own message.
  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error((body.error && body.error.message) || "the service answered " + r.status);
        return body;
      });
    });
  }

  function nameOf(node) {
    return node.label || String(node.title || "").split("\n")[0];
  }

  function draw(container, data, options) {
    options = options || {};
    var small = data.nodes.length <= PHYSICS_UP_TO;
    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
      layout: { improvedLayout: false },
      physics: small ? { stabilization: { iterations: 150 } } : false,
      edges: { smooth: false, selectionWidth: 2 },
      nodes: { font: { size: 14, strokeWidth: 3 } },
      interaction: {
        hover: true,
        tooltipDelay: 120,
        hideEdgesOnDrag: !small,
        hideEdgesOnZoom: !small,
      },
    });
    if (!small) network.fit({ animation: false });
    fillLegend(document.getElementById("map-legend"), data.legend || []);
    var notes = document.getElementById("map-notes");
    if (notes) {
      notes.replaceChildren();
      (data.notes || []).forEach(function (note) { notes.appendChild(text("p", note, "note")); });
    }
    var status = document.getElementById("map-status");
    if (status) {
      status.textContent = data.kind === "overview"
        ? data.not_shown + " people: overview by constellation"
        : data.people + " people on the map";
    }
    container.graphMap = network; // for the browser tests and the console
    network.once("afterDrawing", function () {
      container.dataset.ready = "true";
      window.mapReadyAt = performance.now();
    });
    if (options.onSelect) {
      network.on("click", function (event) {
        if (event.nodes.length) options.onSelect(String(event.nodes[0]), nodes.get(event.nodes[0]));
      });
    }
    if (options.search) {
      options.search.addEventListener("input", function () {
        var words = options.search.value.trim().toLowerCase();
        if (!words) { network.unselectAll(); return; }
        var found = nodes.get({ filter: function (n) { return nameOf(n).toLowerCase().indexOf(words) !== -1; } });
        network.selectNodes(found.map(function (n) { return n.id; }));
        if (found.length) network.focus(found[0].id, { scale: 1.2, animation: false });
        if (status) status.textContent = found.length + " found";
      });
    }
    return network;
  }

  return { draw: draw, text: text, nameOf: nameOf, getJson: getJson };
})();
