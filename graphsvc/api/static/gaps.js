/* The Gaps page: representation charts for the network or a cell, growth
 * over time, and the tables of gaps, members not in the room and potential
 * constellations. Strings from the service are set as text. */
"use strict";
(function () {
  var text = GraphMap.text;
  var status = document.getElementById("charts-status");
  var group = document.getElementById("group");

  var getJson = GraphMap.getJson;

  function fail(where) {
    return function (e) { where.replaceChildren(text("p", "Could not load this: " + e.message)); };
  }

  function percent(x) { return Math.round(x * 100) + "%"; }

  function showCharts() {
    var url = "/api/gaps/charts" + (group.value ? "?cell=" + encodeURIComponent(group.value) : "");
    status.textContent = "Loading the charts…";
    getJson(url).then(function (found) {
      status.textContent = found.group + ": " + found.members + " members. Bars show each share with its " +
        percent(found.confidence) + " confidence interval; a share is called under- or over-represented " +
        "only when the whole interval is below or above what is expected.";
      return Promise.all([
        Charts.draw(document.getElementById("regions-map"), found.charts.regions_map),
        Charts.draw(document.getElementById("regions-bars"), found.charts.regions),
        Charts.draw(document.getElementById("sectors-bars"), found.charts.sectors),
      ]);
    }).catch(function (e) { status.textContent = "Could not draw the charts: " + e.message; });
  }

  function row(cells) {
    var tr = document.createElement("tr");
    cells.forEach(function (value) { tr.appendChild(text("td", value)); });
    return tr;
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

  function personText(p) {
    var parts = [p.name];
    if (p.organisation) parts.push(p.organisation.name);
    if (p.region) parts.push(p.region);
    return parts.join(", ");
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
    document.getElementById("events-count").textContent = page.total + " events out of line; the 20 most out of line:";
  }).catch(fail(document.getElementById("events-out-of-line")));

  var notInRoom = document.getElementById("not-in-the-room");
  var shown = 0;
  function moreNotInRoom() {
    getJson("/api/gaps/not-in-the-room?limit=50&offset=" + shown).then(function (page) {
      if (!shown) notInRoom.replaceChildren();
      page.items.forEach(function (n) {
        notInRoom.appendChild(row([personText(n.person), n.status, n.last_attended || ""]));
      });
      shown += page.items.length;
      document.getElementById("not-in-the-room-count").textContent =
        page.total + " members you may see by name; " + shown + " shown.";
      document.getElementById("more-not-in-the-room").hidden = shown >= page.total;
    }).catch(fail(notInRoom));
  }
  document.getElementById("more-not-in-the-room").addEventListener("click", moreNotInRoom);
  moreNotInRoom();

  getJson("/api/potential-constellations?limit=20").then(function (page) {
    var list = document.getElementById("potential");
    list.replaceChildren();
    page.items.forEach(function (p) {
      var li = document.createElement("li");
      li.appendChild(text("h3", p.theme + " in " + p.region + ": " + p.size + " members not yet connected"));
      li.appendChild(text("p", p.members.map(function (m) { return m.name; }).join(", ")));
      list.appendChild(li);
    });
    if (!page.items.length) list.appendChild(text("li", "No potential constellations found."));
  }).catch(fail(document.getElementById("potential")));

  getJson("/api/growth").then(function (found) {
    return Charts.draw(document.getElementById("growth"), found.chart);
  }).catch(fail(document.getElementById("growth")));

  group.addEventListener("change", showCharts);
  showCharts();
})();
