/* The Imports and review page (admins): preview a file row by row, then import
 * it or cancel; read its report; decide on possible matches; see past imports.
 * Strings are set as text. */
"use strict";
(function () {
  var text = GraphMap.text;
  var form = document.getElementById("upload");
  var csrf = form.dataset.csrf;
  var reportBox = document.getElementById("report");
  var previewBox = document.getElementById("preview");
  var previewBody = document.getElementById("preview-body");
  var importButton = document.getElementById("preview-import");
  // Rows shown per list; the API answers with them all.
  var SHOWN = 100;
  // The form as previewed (the file included): importing sends exactly this.
  var previewed = null;

  // A change, sent with the session's form token.
  function send(url, options) {
    options.method = "POST";
    options.credentials = "same-origin";
    options.headers = Object.assign({ "x-csrf-token": csrf }, options.headers || {});
    return fetch(url, options).then(function (r) {
      if (r.status === 204) return null;
      return r.json().then(function (body) {
        if (!r.ok) throw new Error((body.error && body.error.message) || "the service answered " + r.status);
        return body;
      });
    });
  }

  function row(values) {
    var tr = document.createElement("tr");
    values.forEach(function (v) { tr.appendChild(text("td", v === null || v === undefined ? "" : String(v))); });
    return tr;
  }

  function plural(count, one, many) { return count + " " + (count === 1 ? one : many); }

  // A heading and a table of the first rows of a list, with how many more there are.
  function table(box, heading, headings, items, cells) {
    if (!items.length) return;
    box.appendChild(text("h4", heading + " (" + items.length + ")"));
    var scroll = document.createElement("div");
    scroll.className = "table-scroll";
    var t = document.createElement("table");
    var head = document.createElement("thead");
    var tr = document.createElement("tr");
    headings.forEach(function (h) { tr.appendChild(text("th", h)); });
    head.appendChild(tr);
    t.appendChild(head);
    var body = document.createElement("tbody");
    items.slice(0, SHOWN).forEach(function (item) { body.appendChild(cells(item)); });
    t.appendChild(body);
    scroll.appendChild(t);
    box.appendChild(scroll);
    if (items.length > SHOWN) box.appendChild(text("p", "… and " + (items.length - SHOWN) + " more.", "hint"));
  }

  function shown(value) { return value === null || value === undefined || value === "" ? "(blank)" : String(value); }

  function showPreview(p) {
    previewBody.replaceChildren(text("h3", "Preview of " + p.file + (p.format ? " (" + p.format + ")" : "")));
    previewBody.appendChild(text("p", p.rows_read + " rows read. Importing would create " +
      plural(p.created.length, "person", "people") + ", match " + plural(p.matched.length, "row", "rows") +
      " to people, change " + plural(p.changed.length, "person", "people") + " already known, put " +
      plural(p.review.length, "pair", "pairs") + " up for review and skip " +
      plural(p.skipped.length, "row", "rows") + ". Nothing has been written yet."));
    if (!p.would_write) {
      previewBody.appendChild(text("p", "Importing would write nothing: some rows cannot be imported. " +
        "Fix them, or tick “Skip bad rows” and preview again.", "warning"));
    }
    var kinds = Object.keys(p.new_nodes);
    if (kinds.length) {
      previewBody.appendChild(text("p", "It would also add: " +
        kinds.map(function (k) { return p.new_nodes[k] + " " + k; }).join(", ") + "."));
    }
    table(previewBody, "Would be created", ["Row", "Name", "Email"], p.created, function (c) {
      return row([c.row, c.name, c.email || "no email"]);
    });
    table(previewBody, "Matched", ["Row", "Matched", "Why"], p.matched, function (m) {
      return row([m.row, m.name + (m.new ? " (added by an earlier row)" : " (already known)"), m.reason]);
    });
    table(previewBody, "Would change", ["Row", "Person", "Field", "Now", "Would be"], p.changed.flatMap(function (c) {
      return c.changes.map(function (f) { return { row: c.row, name: c.name, field: f }; });
    }), function (c) {
      var tr = row([c.row, c.name, c.field.field, shown(c.field.old), shown(c.field.new)]);
      // A new email or name for someone known is easy to miss and matters most.
      if (c.field.field === "email" || c.field.field === "name") tr.className = "warning";
      return tr;
    });
    table(previewBody, "To review (kept apart until you decide)", ["Row", "Person", "May be", "Why"], p.review, function (r) {
      return row([r.row, r.name, r.candidate_name, r.reason]);
    });
    table(previewBody, "Skipped", ["Row", "Why"], p.skipped, function (s) { return row([s.row, s.reason]); });
    p.notes.forEach(function (note) { previewBody.appendChild(text("p", note)); });
    importButton.disabled = !p.would_write;
    previewBox.hidden = false;
  }

  function cancelPreview() {
    previewed = null;
    previewBox.hidden = true;
    previewBody.replaceChildren();
  }

  function showReport(found) {
    var r = found.report;
    var names = found.people || {};
    function named(id) { return names[id] || "(no longer held)"; }
    reportBox.replaceChildren(text("h3", "Report for " + r.file));
    var added = r.added || [];
    var changed = r.changed || [];
    var summary = r.rows_read + " rows read: " + plural(added.length, "person", "people") + " created, " +
      plural(r.merges.length, "row", "rows") + " matched to people, " + plural(changed.length, "person", "people") +
      " changed, " + r.rejected.length + " not imported, " + r.review.length + " to review. " +
      (r.written ? "Written to the network." : "Nothing was written.");
    reportBox.appendChild(text("p", summary, r.written ? "done" : "warning"));
    table(reportBox, "Created", ["Row", "Person"], added, function (a) { return row([a.row, named(a.person)]); });
    table(reportBox, "Matched", ["Row", "Matched", "Why"], r.merges, function (m) {
      return row([m.row, named(m.person), m.reason]);
    });
    table(reportBox, "Changed", ["Row", "Person", "Fields"], changed, function (c) {
      return row([c.row, named(c.person), c.fields.join(", ")]);
    });
    table(reportBox, "To review", ["Row", "Person", "May be", "Why"], r.review, function (v) {
      return row([v.row, named(v.person), named(v.candidate), v.reason]);
    });
    table(reportBox, "Not imported", ["Row", "Why"], r.rejected, function (p) { return row([p.row, p.reason]); });
    r.notes.forEach(function (note) { reportBox.appendChild(text("p", note)); });
  }

  // The service keeps times in UTC; the page shows them in the reader's own time.
  function localTime(iso) {
    var when = new Date(iso);
    return isNaN(when.getTime()) ? iso : when.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
  }

  // A past import's file name opens its report again, above the list.
  function reopenButton(id, file) {
    var button = text("button", file, "link");
    button.type = "button";
    button.title = "Open the report of this import";
    button.addEventListener("click", function () {
      GraphMap.getJson("/api/imports/" + encodeURIComponent(id)).then(function (found) {
        showReport(found);
        reportBox.scrollIntoView({ block: "start" });
        reportBox.focus();
      }).catch(function (e) { reportBox.replaceChildren(text("p", "Could not open that report: " + e.message, "warning")); });
    });
    return button;
  }

  function loadImports() {
    GraphMap.getJson("/api/imports?limit=20").then(function (page) {
      var body = document.getElementById("imports");
      body.replaceChildren();
      page.items.forEach(function (i) {
        var r = i.report;
        var line = row([localTime(i.created), "", r.rows_read, r.created, r.updated, r.rejected.length,
          r.review.length, r.written ? "yes" : "no"]);
        line.children[1].appendChild(reopenButton(i.id, r.file));
        body.appendChild(line);
      });
      if (!page.items.length) body.appendChild(row(["No imports yet.", "", "", "", "", "", "", ""]));
    }).catch(function (e) {
      document.getElementById("imports").replaceChildren(row(["Could not load the imports: " + e.message]));
    });
  }

  function decide(pair, item, button) {
    button.disabled = true;
    send("/api/review", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ person: pair.person, candidate: pair.candidate, decision: "different" }),
    }).then(function () {
      item.replaceChildren(text("p", pair.person_name + " and " + pair.candidate_name + ": kept apart.", "done"));
    }).catch(function (e) {
      button.disabled = false;
      item.appendChild(text("p", "Could not record it: " + e.message));
    });
  }

  // One of a pair as the card shows them: where they work and are based tells two people apart.
  function who(name, email, organisations, places) {
    return name + ": " + ((organisations || []).join(", ") || "no organisation") + " · " +
      ((places || []).join(", ") || "no place") + " · " + (email || "no email");
  }

  function loadReview() {
    GraphMap.getJson("/api/review?limit=100").then(function (page) {
      var list = document.getElementById("review");
      list.replaceChildren();
      page.items.forEach(function (pair) {
        var li = document.createElement("li");
        li.appendChild(text("h3", pair.person_name + " may be " + pair.candidate_name));
        li.appendChild(text("p", who(pair.person_name, pair.person_email, pair.person_organisations, pair.person_places)));
        li.appendChild(text("p", who(pair.candidate_name, pair.candidate_email, pair.candidate_organisations,
          pair.candidate_places)));
        li.appendChild(text("p", "Why: " + pair.reason + "."));
        var button = text("button", "Different people: keep apart");
        button.type = "button";
        button.addEventListener("click", function () { decide(pair, li, button); });
        li.appendChild(button);
        list.appendChild(li);
      });
      if (!page.items.length) list.appendChild(text("li", "Nothing waits for review."));
    }).catch(function (e) {
      document.getElementById("review").replaceChildren(text("li", "Could not load the pairs: " + e.message));
    });
  }

  // Only the options the chosen kind of file reads are sent: the service refuses the others.
  function attendanceShown() {
    var attendance = form.elements.kind.value === "attendance";
    document.getElementById("attendance-only").disabled = !attendance;
    document.getElementById("members-only").disabled = attendance;
  }

  // What the form says, as the service takes it.
  function formData() {
    var data = new FormData(form);
    ["event", "date", "as_of", "date_order"].forEach(function (name) {
      if (!data.get(name)) data.delete(name);
    });
    var mapping = data.get("mapping");
    if (mapping && !mapping.name) data.delete("mapping");
    return data;
  }

  var submitButton = form.querySelector("button[type=submit]");

  form.elements.kind.addEventListener("change", attendanceShown);
  // A changed form is another import: its preview no longer says what would happen.
  form.addEventListener("change", cancelPreview);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = formData();
    var asked = formData();
    asked.append("dry_run", "true");
    submitButton.disabled = true;
    cancelPreview();
    reportBox.replaceChildren(text("p", "Reading the file…"));
    send("/api/imports", { body: asked }).then(function (found) {
      reportBox.replaceChildren();
      previewed = data;
      showPreview(found.preview);
    }).catch(function (e) {
      reportBox.replaceChildren(text("p", "Could not read the file: " + e.message, "warning"));
    }).finally(function () { submitButton.disabled = false; });
  });
  importButton.addEventListener("click", function () {
    if (!previewed) return;
    var data = previewed;
    importButton.disabled = true;
    submitButton.disabled = true;
    reportBox.replaceChildren(text("p", "Importing…"));
    send("/api/imports", { body: data }).then(function (found) {
      cancelPreview();
      showReport(found);
      loadImports();
      loadReview();
    }).catch(function (e) {
      reportBox.replaceChildren(text("p", "Could not import the file: " + e.message, "warning"));
    }).finally(function () {
      importButton.disabled = false;
      submitButton.disabled = false;
    });
  });
  document.getElementById("preview-cancel").addEventListener("click", function () {
    cancelPreview();
    reportBox.replaceChildren(text("p", "Cancelled: nothing was written."));
  });
  attendanceShown();
  loadImports();
  loadReview();
})();
