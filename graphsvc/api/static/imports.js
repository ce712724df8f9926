/* The Imports and review page (admins): upload a file and read its report,
 * decide on possible matches, see past imports. Strings are set as text. */
"use strict";
(function () {
  var text = GraphMap.text;
  var form = document.getElementById("upload");
  var csrf = form.dataset.csrf;
  var reportBox = document.getElementById("report");

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
    values.forEach(function (v) { tr.appendChild(text("td", String(v))); });
    return tr;
  }

  function showReport(found) {
    var r = found.report;
    reportBox.replaceChildren(text("h3", "Report for " + r.file));
    var summary = r.rows_read + " rows read: " + r.created + " records created, " + r.updated + " updated, " +
      r.unchanged + " unchanged, " + r.rejected.length + " not imported, " + r.review.length + " to review. " +
      (r.written ? "Written to the network." : "Nothing was written.");
    reportBox.appendChild(text("p", summary, r.written ? "done" : "warning"));
    if (r.rejected.length) {
      var list = document.createElement("ul");
      list.className = "rejected";
      r.rejected.forEach(function (p) { list.appendChild(text("li", "Row " + p.row + ": " + p.reason)); });
      reportBox.appendChild(list);
    }
    r.notes.forEach(function (note) { reportBox.appendChild(text("p", note)); });
  }

  function loadImports() {
    GraphMap.getJson("/api/imports?limit=20").then(function (page) {
      var body = document.getElementById("imports");
      body.replaceChildren();
      page.items.forEach(function (i) {
        var r = i.report;
        body.appendChild(row([i.created, r.file, r.rows_read, r.created, r.updated, r.rejected.length,
          r.review.length, r.written ? "yes" : "no"]));
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

  function loadReview() {
    GraphMap.getJson("/api/review?limit=100").then(function (page) {
      var list = document.getElementById("review");
      list.replaceChildren();
      page.items.forEach(function (pair) {
        var li = document.createElement("li");
        li.appendChild(text("h3", pair.person_name + " may be " + pair.candidate_name));
        li.appendChild(text("p", (pair.person_email || "no email") + " · " + (pair.candidate_email || "no email")));
        li.appendChild(text("p", "Why: " + pair.reason + ". From " + pair.source + "."));
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

  form.elements.kind.addEventListener("change", attendanceShown);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(form);
    ["event", "date", "as_of", "date_order"].forEach(function (name) {
      if (!data.get(name)) data.delete(name);
    });
    var mapping = data.get("mapping");
    if (mapping && !mapping.name) data.delete("mapping");
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    reportBox.replaceChildren(text("p", "Importing…"));
    send("/api/imports", { body: data }).then(function (found) {
      showReport(found);
      loadImports();
      loadReview();
    }).catch(function (e) {
      reportBox.replaceChildren(text("p", "Could not import the file: " + e.message, "warning"));
    }).finally(function () { button.disabled = false; });
  });
  attendanceShown();
  loadImports();
  loadReview();
})();
