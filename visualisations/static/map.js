/* Draws a network map made on the server (visualisations/network_map.py).
 *
 * Positions arrive computed, so physics stays off for large maps and the
 * browser only draws. Every string from the data is set as text
 * (textContent, a vis-network title string, which it shows as text, or
 * canvas fillText).
 *
 * On top of vis-network: names drawn for the people who matter most at the
 * current zoom, never overlapping; a person's ties highlighted (the rest
 * dimmed) while they are hovered, focused in the list or chosen; zoom, fit,
 * reset and PNG buttons; a white background, so the PNG is not transparent. */
"use strict";
var GraphMap = (function () {
  var PHYSICS_UP_TO = 150; // small maps may settle themselves; larger ones do not move
  var MAX_LABELS = 120; // names drawn at once, at most, however far one zooms in
  var LABEL_FONT = "600 13px system-ui, sans-serif";
  var ZOOM_STEP = 1.5;

  // An element holding a string as text: the one way pages put strings on screen.
  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (className) el.className = className;
    return el;
  }

  // A key entry's sample: a dot of a colour, a ring, a line... (visualisations/map_key.py).
  function sample(item) {
    var swatch = document.createElement("span");
    swatch.className = "swatch swatch-" + item.kind;
    swatch.setAttribute("aria-hidden", "true");
    if (item.kind === "colour") swatch.style.background = item.colour;
    if (item.kind === "tie" || item.kind === "bridge-tie") swatch.style.background = item.colour;
    if (item.kind === "suggested") swatch.style.borderTopColor = item.colour;
    if (item.kind === "you") swatch.textContent = "★";
    return swatch;
  }

  function fillLegend(list, legend) {
    if (!list) return;
    list.replaceChildren();
    legend.forEach(function (item) {
      var li = document.createElement("li");
      if (item.kind === "heading") {
        li.className = "legend-heading";
        li.textContent = item.label;
      } else {
        li.appendChild(sample(item));
        li.appendChild(document.createTextNode(item.label));
      }
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

  // A list's download links (ids prefix-csv and prefix-xlsx): the file of the
  // list at url, with the same query (filters, order) as the list shown.
  function fileLinks(prefix, url, query) {
    ["csv", "xlsx"].forEach(function (format) {
      var link = document.getElementById(prefix + "-" + format);
      if (!link) return;
      var file = new URLSearchParams(query || "");
      file.delete("limit");
      file.delete("offset");
      file.set("format", format);
      link.href = url + "?" + file.toString();
    });
  }

  function nameOf(node) {
    return node.name || node.label || String(node.title || "").split("\n")[0];
  }

  function neighboursOf(edges) {
    var near = {};
    edges.forEach(function (e) {
      (near[e.from] = near[e.from] || []).push(e.to);
      (near[e.to] = near[e.to] || []).push(e.from);
    });
    return near;
  }

  // Who gets a name first: you, whose map it is, then the biggest (betweenness),
  // then those with most ties on this map.
  function ranked(nodes, near) {
    return nodes.slice().sort(function (a, b) {
      return (b.you ? 1 : 0) - (a.you ? 1 : 0) || (b.centre ? 1 : 0) - (a.centre ? 1 : 0) ||
        b.size - a.size || (near[b.id] || []).length - (near[a.id] || []).length ||
        (a.id < b.id ? -1 : 1);
    });
  }

  function overlaps(box, boxes) {
    for (var i = 0; i < boxes.length; i++) {
      var o = boxes[i];
      if (box.left < o.right && o.left < box.right && box.top < o.bottom && o.top < box.bottom) return true;
    }
    return false;
  }

  // The drawing state of one map, kept with its vis.Network.
  function Drawing(container, data, network) {
    this.container = container;
    this.network = network;
    this.nodes = data.nodes;
    this.byId = {};
    var self = this;
    data.nodes.forEach(function (n) { self.byId[n.id] = n; });
    this.near = neighboursOf(data.edges);
    this.order = ranked(data.nodes, this.near);
    this.focus = null; // highlighted: hovered, focused in the list, or chosen
    this.chosen = null;
    this.moving = data.nodes.length <= PHYSICS_UP_TO;
  }

  Drawing.prototype.where = function (ids) {
    if (!this.moving) {
      var byId = this.byId;
      var out = {};
      ids.forEach(function (id) { out[id] = byId[id]; });
      return out;
    }
    return this.network.getPositions(ids);
  };

  Drawing.prototype.screenTransform = function (ctx) {
    var canvas = ctx.canvas;
    var ratio = canvas.width / (canvas.clientWidth || canvas.width);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  };

  // Dims everything, then draws the focused person's ties and neighbours again on top.
  Drawing.prototype.drawFocus = function (ctx) {
    var id = this.focus;
    if (id === null || !this.byId[id]) return;
    var ids = [id].concat(this.near[id] || []);
    var at = this.where(ids);
    ctx.save();
    this.screenTransform(ctx);
    ctx.fillStyle = "rgba(255,255,255,0.78)";
    ctx.fillRect(0, 0, ctx.canvas.clientWidth, ctx.canvas.clientHeight);
    ctx.restore();
    var scale = this.network.getScale();
    ctx.lineWidth = 2.5 / scale;
    ctx.strokeStyle = "#1d2433";
    var centre = at[id];
    ids.slice(1).forEach(function (other) {
      ctx.beginPath();
      ctx.moveTo(centre.x, centre.y);
      ctx.lineTo(at[other].x, at[other].y);
      ctx.stroke();
    });
    var byId = this.byId;
    ids.forEach(function (other) {
      var node = byId[other];
      ctx.beginPath();
      ctx.arc(at[other].x, at[other].y, Math.max(node.size, 6), 0, 2 * Math.PI);
      ctx.fillStyle = node.color.background || node.color;
      ctx.fill();
      ctx.lineWidth = (other === id ? 4 : 1.5) / scale;
      ctx.strokeStyle = "#1d2433";
      ctx.stroke();
    });
  };

  Drawing.prototype.labelOrder = function () {
    if (this.focus === null || !this.byId[this.focus]) return this.order;
    var first = [this.byId[this.focus]];
    var byId = this.byId;
    (this.near[this.focus] || []).forEach(function (id) { first.push(byId[id]); });
    return first.concat(this.order);
  };

  // Names for as many of the most important people in view as fit without overlapping.
  Drawing.prototype.drawLabels = function (ctx) {
    var network = this.network;
    var width = ctx.canvas.clientWidth;
    var height = ctx.canvas.clientHeight;
    var scale = network.getScale();
    var order = this.labelOrder();
    var at = this.moving ? network.getPositions() : this.byId;
    var boxes = [];
    var seen = {};
    ctx.save();
    this.screenTransform(ctx);
    ctx.font = LABEL_FONT;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    // Fewer names on a small screen: one for about every 9,000 square pixels.
    var most = Math.min(MAX_LABELS, Math.round(width * height / 9000));
    for (var i = 0; i < order.length && boxes.length < most; i++) {
      var node = order[i];
      if (seen[node.id]) continue;
      seen[node.id] = true;
      var p = network.canvasToDOM({ x: at[node.id].x, y: at[node.id].y });
      if (p.x < 0 || p.y < 0 || p.x > width || p.y > height) continue;
      var label = node.you && node.shape === "star" ? "You" : nameOf(node);
      var half = ctx.measureText(label).width / 2 + 2;
      var top = p.y + node.size * scale + 2;
      var box = { left: p.x - half - 6, right: p.x + half + 6, top: top - 3, bottom: top + 19 };
      if (box.left < 0 || box.right > width || box.bottom > height || overlaps(box, boxes)) continue;
      boxes.push(box);
      ctx.lineWidth = 4;
      ctx.strokeStyle = "rgba(255,255,255,0.95)";
      ctx.strokeText(label, p.x, top);
      ctx.fillStyle = "#1d2433";
      ctx.fillText(label, p.x, top);
    }
    ctx.restore();
  };

  function paintBackground(ctx) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  }

  Drawing.prototype.highlight = function (id) {
    this.focus = id && this.byId[id] ? id : this.chosen;
    this.network.redraw();
  };

  // Chooses a person (or nothing): selected, highlighted and brought into view.
  Drawing.prototype.choose = function (id, bringIntoView) {
    if (id && !this.byId[id]) id = null;
    this.chosen = id;
    this.focus = id;
    if (id) {
      this.network.selectNodes([id]);
      if (bringIntoView) {
        var scale = Math.max(this.network.getScale(), 1.0);
        this.network.focus(id, { scale: scale, animation: false });
      }
    } else {
      this.network.unselectAll();
    }
    this.network.redraw();
  };

  Drawing.prototype.zoom = function (factor) {
    this.network.moveTo({ scale: this.network.getScale() * factor, animation: false });
  };

  Drawing.prototype.fit = function () { this.network.fit({ animation: false }); };

  Drawing.prototype.png = function (filename) {
    var canvas = this.container.querySelector("canvas");
    var link = document.createElement("a");
    link.href = canvas.toDataURL("image/png");
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
  };

  function wireControls(drawing, options) {
    function on(id, action) {
      var button = document.getElementById(id);
      if (button) button.onclick = action;
    }
    on("map-zoom-in", function () { drawing.zoom(ZOOM_STEP); });
    on("map-zoom-out", function () { drawing.zoom(1 / ZOOM_STEP); });
    on("map-fit", function () { drawing.fit(); });
    on("map-reset", function () {
      drawing.choose(null);
      drawing.fit();
      if (options.onReset) options.onReset();
    });
    on("map-png", function () { drawing.png(options.filename || "network-map.png"); });
  }

  function showStatus(data) {
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
    return status;
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
        keyboard: { enabled: true, bindToWindow: false },
      },
    });
    var drawing = new Drawing(container, data, network);
    network.on("beforeDrawing", paintBackground);
    network.on("afterDrawing", function (ctx) {
      drawing.drawFocus(ctx);
      drawing.drawLabels(ctx);
    });
    network.on("hoverNode", function (event) { drawing.highlight(String(event.node)); });
    network.on("blurNode", function () { drawing.highlight(null); });
    network.fit({ animation: false });
    if (small) {
      // Settled, a small map may have moved: fitted again, once.
      var fitted = false;
      var refit = function () { if (!fitted) { fitted = true; network.fit({ animation: false }); } };
      network.once("stabilizationIterationsDone", refit);
      network.once("stabilized", refit);
    }
    fillLegend(document.getElementById("map-legend"), data.legend || []);
    var status = showStatus(data);
    wireControls(drawing, options);
    container.graphMap = network; // for the browser tests and the console
    network.graphDrawing = drawing;
    network.once("afterDrawing", function () {
      container.dataset.ready = "true";
      window.mapReadyAt = performance.now();
    });
    network.on("click", function (event) {
      var id = event.nodes.length ? String(event.nodes[0]) : null;
      drawing.choose(id, false);
      if (id && options.onSelect) options.onSelect(id, nodes.get(id));
    });
    if (options.search) {
      options.search.addEventListener("input", function () {
        var words = options.search.value.trim().toLowerCase();
        if (!words) { drawing.choose(null); return; }
        var found = data.nodes.filter(function (n) { return nameOf(n).toLowerCase().indexOf(words) !== -1; });
        network.selectNodes(found.map(function (n) { return n.id; }));
        if (found.length) drawing.choose(found[0].id, true);
        if (status) status.textContent = found.length + " found";
      });
    }
    return network;
  }

  return { draw: draw, text: text, nameOf: nameOf, getJson: getJson, fileLinks: fileLinks };
})();
