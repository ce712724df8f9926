/* The list beside a map: the people on it (or, on an overview, its
 * constellations) in a real table that sorts by any column, for keyboards
 * and screen readers. Choosing a row's name chooses the person on the map;
 * focusing or hovering a row highlights them there. Strings are set as text. */
"use strict";
var MapList = (function () {
  var PAGE = 200; // rows drawn at once; "Show more" draws the next ones
  var PEOPLE = [
    { key: "name", label: "Name" },
    { key: "organisation", label: "Organisation" },
    { key: "place", label: "Place" },
    { key: "constellation", label: "Constellation" },
  ];
  var CONSTELLATIONS = [
    { key: "name", label: "Constellation" },
    { key: "members", label: "Members", numeric: true },
  ];
  var text = GraphMap.text;

  function MapList(table, options) {
    this.table = table;
    this.options = options; // onChoose(id), onFocus(id or null)
    this.rows = [];
    this.columns = PEOPLE;
    this.sortKey = "name";
    this.ascending = true;
    this.shown = PAGE;
    this.chosen = null;
    this.count = document.getElementById(table.id + "-count");
    this.more = document.getElementById(table.id + "-more");
    var self = this;
    if (this.more) this.more.addEventListener("click", function () { self.shown += PAGE; self.render(); });
  }

  MapList.prototype.show = function (data) {
    this.columns = data.kind === "overview" ? CONSTELLATIONS : PEOPLE;
    this.rows = data.nodes.slice();
    this.sortKey = "name";
    this.ascending = true;
    this.shown = PAGE;
    this.caption = data.kind === "overview" ? "Constellations on the map" : "People on the map";
    this.sort();
    this.renderHead();
    this.render();
  };

  MapList.prototype.sort = function () {
    var key = this.sortKey;
    var sign = this.ascending ? 1 : -1;
    var numeric = this.columns.some(function (c) { return c.key === key && c.numeric; });
    var collator = new Intl.Collator("en-GB", { sensitivity: "base", numeric: true });
    this.rows.sort(function (a, b) {
      var found = numeric ? (a[key] || 0) - (b[key] || 0) : collator.compare(a[key] || "", b[key] || "");
      return sign * found || collator.compare(a.name || "", b.name || "");
    });
  };

  MapList.prototype.renderHead = function () {
    var self = this;
    var caption = this.table.querySelector("caption");
    caption.textContent = this.caption;
    var row = document.createElement("tr");
    this.columns.forEach(function (column) {
      var th = document.createElement("th");
      th.scope = "col";
      th.setAttribute("aria-sort", column.key === self.sortKey ? (self.ascending ? "ascending" : "descending") : "none");
      var button = text("button", column.label, "sort");
      button.type = "button";
      button.addEventListener("click", function () {
        self.ascending = self.sortKey === column.key ? !self.ascending : true;
        self.sortKey = column.key;
        self.sort();
        self.renderHead();
        self.render();
        self.table.querySelector("th[aria-sort=" + (self.ascending ? "ascending" : "descending") + "] button").focus();
      });
      th.appendChild(button);
      row.appendChild(th);
    });
    this.table.tHead.replaceChildren(row);
  };

  MapList.prototype.rowFor = function (item) {
    var self = this;
    var tr = document.createElement("tr");
    tr.dataset.id = item.id;
    if (item.id === this.chosen) tr.setAttribute("aria-current", "true");
    this.columns.forEach(function (column, i) {
      var value = item[column.key];
      if (i === 0) {
        var th = document.createElement("th");
        th.scope = "row";
        var button = text("button", item.you ? value + " (you)" : value, "choose");
        button.type = "button";
        button.addEventListener("click", function () { self.options.onChoose(item.id); });
        th.appendChild(button);
        tr.appendChild(th);
      } else {
        tr.appendChild(text("td", value === undefined ? "" : String(value), column.numeric ? "num" : ""));
      }
    });
    tr.addEventListener("mouseenter", function () { self.options.onFocus(item.id); });
    tr.addEventListener("focusin", function () { self.options.onFocus(item.id); });
    tr.addEventListener("mouseleave", function () { self.options.onFocus(null); });
    tr.addEventListener("focusout", function () { self.options.onFocus(null); });
    return tr;
  };

  MapList.prototype.render = function () {
    var body = this.table.tBodies[0];
    var shown = this.rows.slice(0, this.shown);
    body.replaceChildren.apply(body, shown.map(this.rowFor, this));
    if (this.count) {
      this.count.textContent = shown.length < this.rows.length
        ? "Showing " + shown.length + " of " + this.rows.length + ", sorted by " + this.sortKey
        : this.rows.length + " in the list";
    }
    if (this.more) this.more.hidden = shown.length >= this.rows.length;
  };

  // Marks the row of the person chosen on the map, drawing rows down to it if need be.
  MapList.prototype.mark = function (id) {
    this.chosen = id;
    var index = -1;
    for (var i = 0; i < this.rows.length; i++) if (this.rows[i].id === id) { index = i; break; }
    if (index >= this.shown) this.shown = (Math.floor(index / PAGE) + 1) * PAGE;
    this.render();
    var row = id && this.table.querySelector("tr[aria-current=true]");
    var box = this.table.parentElement;
    if (row && box.scrollHeight > box.clientHeight) box.scrollTop = row.offsetTop - box.clientHeight / 2;
  };

  return MapList;
})();
