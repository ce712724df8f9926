/* The Gaps page: representation charts for the network or a cell, growth
 * over time, and the tables of gaps, members not in the room and potential
 * constellations, filtered and sorted, each downloadable. The chosen group,
 * filters and orders live in the page's address, so a view can be
 * bookmarked or shared. Strings from the service are set as text. */
"use strict";
(function () {
  var text = GraphMap.text;
  var getJson = GraphMap.getJson;
  var status = document.getElementById("charts-status");
  var group = document.getElementById("group");
  var filters = document.getElementById("list-filters");
  var roomSort = document.getElementById("not-in-the-room-sort");
  var potentialSort = document.getElementById("potential-sort");
  var PAGE = 50;
  var GROUPS_PAGE = 20;

  // The page's address <-> its controls: which name in the URL sets which control.
  var controls = {
    group: group,
    region: filters.elements.region,
    cell: filters.elements.cell,
    sector: filters.elements.sector,
    room_sort: roomSort,
    potential_sort: potentialSort,
  };

  function readAddress() {
    var given = new URLSearchParams(window.location.search);
    Object.keys(controls).forEach(function (name) {
      var value = given.get(name);
      var control = controls[name];
      if (value !== null && Array.prototype.some.call(control.options, function (o) { return o.value === value && !o.disabled; })) {
        control.value = value;
      }
    });
  }

  function writeAddress() {
    var shown = new URLSearchParams();
    Object.keys(controls).forEach(function (name) {
      var control = controls[name];
      if (control.value && control.value !== control.options[0].value) shown.set(name, control.value);
    });
    var query = shown.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  // The lists' filters as query parameters for the service.
  function listQuery(sort) {
    var query = new URLSearchParams();
    ["region", "cell", "sector"].forEach(function (name) {
      if (controls[name].value) query.set(name, controls[name].value);
    });
    query.set("sort", sort);
    return query;
  }

  function fail(where) {
    return function (e) { where.replaceChildren(text("p", "Could not load this: " + e.message)); };
  }

  function percent(x) { return Math.round(x * 100) + "%"; }

  function groupName() { return group.options[group.selectedIndex].text.replace(/ \(.*$/, ""); }

  function showCharts() {
    var url = "/api/gaps/charts" + (group.value ? "?cell=" + encodeURIComponent(group.value) : "");
    status.textContent = "Loading the charts…";
    document.getElementById("print-group").textContent = groupName();
    getJson(url).then(function (found) {
      status.textContent = found.group + ": " + found.members + " members. Bars show each share with its " +
        percent(found.confidence) + " confidence interval; a share is called under- or over-represented " +
        "only when the whole interval is below or above what is expected.";
      document.getElementById("print-group").textContent = found.group + " (" + found.members + " members)";
      return Promise.all([
        Charts.draw(document.getElementById("regions-map"), found.charts.regions_map, "regions-map"),
        Charts.draw(document.getElementById("regions-bars"), found.charts.regions, "regions"),
        Charts.draw(document.getElementById("sectors-bars"), found.charts.sectors, "sectors"),
      ]);
    }).catch(function (e) { status.textContent = "Could not draw the charts: " + e.message; });
  }

  function row(cells) {
    var tr = document.createElement("tr");
    cells.forEach(function (value) {
      var td = document.createElement("td");
      if (value instanceof Node) td.appendChild(value); else td.textContent = value;
      tr.appendChild(td);
    });
    return tr;
  }

  // A person's name, linking to their card on the map (Explore, with them chosen).
  function personLink(person) {
    var a = text("a", person.name);
    a.href = "/explore?person=" + encodeURIComponent(person.id);
    a.title = "Open " + person.name + "'s card on the map";
    return a;
  }

  // A share of fewer people than the service shows exactly comes with no
  // share, only its count ("fewer than 3").
  function shareText(s) { return s.share === null ? s.count + " members" : percent(s.share); }

  function offLine(shares) {
    return shares.map(function (s) {
      return s.category + " " + s.verdict + " (" + shareText(s) + " against " + percent(s.expected) + ")";
    }).join("; ");
  }

  function fillGroups(body, groups) {
    body.replaceChildren();
    groups.forEach(function (g) {
      body.appendChild(row([g.name, String(g.size), offLine(g.regions) || "in line", offLine(g.sectors) || "in line"]));
    });
    if (!groups.length) body.appendChild(row(["None out of line.", "", "", ""]));
  }

  function showing(shown, total, what) {
    return shown < total ? "Showing " + shown + " of " + total + " " + what + "." : "All " + total + " " + what + " shown.";
  }

  getJson("/api/gaps").then(function (gaps) {
    fillGroups(document.getElementById("cells-out-of-line"), gaps.cells);
    var none = document.getElementById("regions-without-cells");
    none.replaceChildren();
    gaps.regions_without_cells.forEach(function (r) { none.appendChild(text("li", r)); });
    if (!gaps.regions_without_cells.length) none.appendChild(text("li", "Every region with members has a regional group."));
  }).catch(fail(document.getElementById("cells-out-of-line")));

  getJson("/api/gaps/events?limit=20").then(function (page) {
    fillGroups(document.getElementById("events-out-of-line"), page.items);
    document.getElementById("events-count").textContent = page.total > page.items.length
      ? "Showing the " + page.items.length + " most out of line of " + page.total + " events out of line."
      : page.total + " events out of line.";
  }).catch(fail(document.getElementById("events-out-of-line")));

  // Each list: shown a page at a time, its count saying when it is cut, its
  // download links carrying the same filters and order.
  function pagedList(options) {
    var body = document.getElementById(options.body);
    var more = document.getElementById(options.more);
    var shown = 0;
    var asked = 0; // answers to a superseded request are dropped

    function load(reset) {
      if (reset) shown = 0;
      var query = listQuery(options.sort.value);
      GraphMap.fileLinks(options.prefix, options.url, query);
      query.set("limit", String(options.page));
      query.set("offset", String(shown));
      var mine = ++asked;
      getJson(options.url + "?" + query.toString()).then(function (page) {
        if (mine !== asked) return;
        if (!shown) body.replaceChildren();
        page.items.forEach(function (item) { body.appendChild(options.item(item)); });
        shown += page.items.length;
        if (!page.total) body.appendChild(options.empty());
        document.getElementById(options.prefix + "-count").textContent = showing(shown, page.total, options.what);
        more.hidden = shown >= page.total;
      }).catch(fail(body));
    }
    more.addEventListener("click", function () { load(false); });
    return load;
  }

  var loadNotInRoom = pagedList({
    url: "/api/gaps/not-in-the-room", prefix: "not-in-the-room", body: "not-in-the-room",
    more: "more-not-in-the-room", sort: roomSort, page: PAGE, what: "members you may see by name",
    item: function (n) {
      var p = n.person;
      return row([personLink(p), p.organisation ? p.organisation.name : "", p.region || "", n.status, n.last_attended || "never"]);
    },
    empty: function () { return row(["No one matches these filters.", "", "", "", ""]); },
  });

  var loadPotential = pagedList({
    url: "/api/potential-constellations", prefix: "potential", body: "potential",
    more: "more-potential", sort: potentialSort, page: GROUPS_PAGE, what: "groups",
    item: function (p) {
      var li = document.createElement("li");
      li.appendChild(text("h4", p.theme + " in " + p.region + ": " + p.size + " members not yet connected"));
      var names = document.createElement("p");
      p.members.forEach(function (m, i) {
        if (i) names.appendChild(document.createTextNode(", "));
        names.appendChild(personLink(m));
      });
      if (p.members.length < p.size) {
        names.appendChild(text("span", " (showing " + p.members.length + " of " + p.size + "; the download lists all)", "hint"));
      }
      li.appendChild(names);
      return li;
    },
    empty: function () { return text("li", "No potential constellations match these filters."); },
  });

  getJson("/api/growth").then(function (found) {
    return Charts.draw(document.getElementById("growth"), found.chart, "growth");
  }).catch(fail(document.getElementById("growth")));

  // A printed page is narrower than the screen: the charts are drawn again
  // to fit it, and back to the screen afterwards.
  function chartsIn() { return Array.prototype.slice.call(document.querySelectorAll(".chart[data-ready]")); }
  window.addEventListener("beforeprint", function () {
    document.getElementById("print-date").textContent = new Date().toLocaleString([], { dateStyle: "long", timeStyle: "short" });
    chartsIn().forEach(function (chart) { Charts.fit(chart, 680); });
  });
  window.addEventListener("afterprint", function () { chartsIn().forEach(function (chart) { Charts.fit(chart, null); }); });
  document.getElementById("print").addEventListener("click", function () { window.print(); });
  document.getElementById("print-date").textContent = new Date().toLocaleDateString([], { dateStyle: "long" });

  readAddress();
  group.addEventListener("change", function () { writeAddress(); showCharts(); });
  filters.addEventListener("change", function () { writeAddress(); loadNotInRoom(true); loadPotential(true); });
  roomSort.addEventListener("change", function () { writeAddress(); loadNotInRoom(true); });
  potentialSort.addEventListener("change", function () { writeAddress(); loadPotential(true); });
  showCharts();
  loadNotInRoom(true);
  loadPotential(true);
})();
