/* The Explore and My network pages: a map from /api/map (or a person's own),
 * search by name, filters, a person's card and the list of the people on
 * the map. The filters and the chosen person live in the address (query
 * string), so a view can be bookmarked or shared and opens as it was left.
 * On a narrow screen the filters and the card are panels opened by buttons.
 * Every string from the service is set as text, never as HTML. */
"use strict";
(function () {
  var container = document.getElementById("map");
  var form = document.getElementById("filters");
  var ego = document.getElementById("ego");
  var card = document.getElementById("card");
  var network = null;
  var chosen = new URLSearchParams(location.search).get("person");
  var getJson = GraphMap.getJson;
  var list = new MapList(document.getElementById("map-list"), {
    onChoose: function (id) {
      if (openConstellation(id)) return;
      choose(id, true);
      var box = container.getBoundingClientRect();
      if (box.bottom < 0 || box.top > window.innerHeight) container.scrollIntoView({ block: "start" });
    },
    onFocus: function (id) { if (network) network.graphDrawing.highlight(id); },
  });

  // The address says what is shown: the filters that are set, and the person chosen.
  function remember() {
    var params = new URLSearchParams();
    if (form) {
      Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) {
        if (s.value && !(s.name === "colour_by" && s.value === "constellation")) params.set(s.name, s.value);
      });
    }
    if (chosen) params.set("person", chosen);
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  function restoreFilters() {
    var params = new URLSearchParams(location.search);
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) {
      var wanted = params.get(s.name);
      if (wanted !== null && Array.prototype.some.call(s.options, function (o) { return o.value === wanted; })) {
        s.value = wanted;
      }
    });
  }

  // Panels on a narrow screen: a button opens one, its close button or Escape shuts it.
  function panel(buttonId) {
    var button = document.getElementById(buttonId);
    if (!button) return { open: function () {} };
    var box = document.getElementById(button.getAttribute("aria-controls"));
    function set(open) {
      button.setAttribute("aria-expanded", String(open));
      box.classList.toggle("open", open);
    }
    button.addEventListener("click", function () { set(button.getAttribute("aria-expanded") !== "true"); });
    var close = box.querySelector(".panel-close");
    if (close) close.addEventListener("click", function () { set(false); button.focus(); });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { set(false); button.focus(); }
    });
    return { open: function () { set(true); } };
  }
  panel("show-filters");
  var personPanel = panel("show-person");

  // From someone's card, a member linked to a person in the network (the header
  // offers them People I know) may say they know them or ask to be introduced.
  function tieLinks(p) {
    var linked = document.querySelector('header nav a[href="/me/ties"]');
    if (!linked || (ego && ego.dataset.person === p.id)) return;
    var links = document.createElement("p");
    links.className = "card-actions";
    [["I know them", "/me/ties?person="], ["Ask for an introduction", "/introduction-requests?to="]]
      .forEach(function (pair) {
        var a = GraphMap.text("a", pair[0]);
        a.href = pair[1] + encodeURIComponent(p.id);
        links.appendChild(a);
        links.appendChild(document.createTextNode(" "));
      });
    card.appendChild(links);
  }

  function showCard(id) {
    getJson("/api/people/" + encodeURIComponent(id)).then(function (p) {
      var close = card.querySelector(".panel-close");
      card.replaceChildren();
      if (close) card.appendChild(close);
      card.appendChild(GraphMap.text("h2", p.name));
      var dl = document.createElement("dl");
      function row(label, value) {
        if (!value) return;
        dl.appendChild(GraphMap.text("dt", label));
        dl.appendChild(GraphMap.text("dd", value));
      }
      row("Organisation", p.organisation && p.organisation.name);
      row("Job", p.job_title);
      row("Place", p.place && p.place.name);
      row("Region", p.region);
      row("Sector", p.sector);
      row("Interests", p.interests.map(function (t) { return t.name; }).join(", "));
      row("Cells", p.cells.map(function (c) { return c.name; }).join(", "));
      row("Email", p.email);
      card.appendChild(dl);
      tieLinks(p);
    }).catch(function (e) { card.replaceChildren(GraphMap.text("p", "Could not open the card: " + e.message)); });
  }

  // A person chosen on the map, in the list or by search: card, map, list and address agree.
  function choose(id, bringIntoView) {
    chosen = id;
    remember();
    if (network) network.graphDrawing.choose(id, bringIntoView);
    list.mark(id);
    if (id) {
      showCard(id);
      personPanel.open();
    }
  }

  // A constellation's bubble on the overview (or its row) opens the map of its people.
  function openConstellation(id) {
    var node = network && network.graphDrawing.byId[id];
    if (!form || !node || id.indexOf("constellation:") !== 0) return false;
    form.elements.constellation.value = node.constellation;
    redraw();
    return true;
  }

  // The list's downloads: the file of the map at url, with the same filters.
  function pointDownloads(url) {
    var parts = url.split("?");
    GraphMap.fileLinks("map-list", parts[0], parts[1]);
    var downloads = document.getElementById("map-list-downloads");
    if (downloads) downloads.hidden = false;
  }

  function drawFrom(url) {
    pointDownloads(url);
    var status = document.getElementById("map-status");
    if (status) status.textContent = "Loading the map…";
    container.dataset.ready = "false";
    getJson(url).then(function (data) {
      if (network) network.destroy();
      network = GraphMap.draw(container, data, {
        filename: ego ? "my-network.png" : "network-map.png",
        onSelect: function (id) { if (!openConstellation(id)) choose(id, false); },
        onReset: function () { choose(null); },
      });
      list.show(data);
      if (chosen && network.graphDrawing.byId[chosen]) choose(chosen, true);
      else if (chosen) showCard(chosen);
    }).catch(function (e) { if (status) status.textContent = "Could not load the map: " + e.message; });
  }

  function redraw() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) {
      if (s.value) params.set(s.name, s.value);
    });
    remember();
    drawFrom("/api/map?" + params.toString());
  }

  if (ego) {
    drawFrom("/api/people/" + encodeURIComponent(ego.dataset.person) + "/map");
    return;
  }

  var results = document.getElementById("results");
  var pending = null;
  document.getElementById("q").addEventListener("input", function (event) {
    clearTimeout(pending);
    var words = event.target.value.trim();
    pending = setTimeout(function () {
      if (!words) { results.replaceChildren(); return; }
      getJson("/api/people?limit=20&q=" + encodeURIComponent(words)).then(function (page) {
        results.replaceChildren();
        page.items.forEach(function (p) {
          var li = document.createElement("li");
          var button = GraphMap.text("button", p.name);
          button.type = "button";
          button.addEventListener("click", function () { choose(p.id, true); });
          li.appendChild(button);
          results.appendChild(li);
        });
        if (!page.items.length) results.appendChild(GraphMap.text("li", "No one found"));
      });
    }, 200);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) {
    s.addEventListener("change", redraw);
  });
  restoreFilters();
  redraw();
})();
