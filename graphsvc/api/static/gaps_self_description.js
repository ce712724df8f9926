/* The Gaps page's section on how members describe themselves: aggregate counts
 * only, from /api/gaps/self-description. Strings are set as text. */
"use strict";
(function () {
  function percent(x) { return x === null || x === undefined ? "" : (100 * x).toFixed(1) + "%"; }
  function cell(row, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    row.appendChild(td);
  }
  function ageBands(shares) {
    var body = document.querySelector("#age-bands tbody");
    body.replaceChildren();
    shares.forEach(function (s) {
      var row = document.createElement("tr");
      cell(row, s.category);
      cell(row, String(s.count), "num");
      cell(row, s.share === null ? "" : percent(s.share) + " (" + percent(s.low) + "–" + percent(s.high) + ")", "num");
      cell(row, percent(s.expected), "num");
      cell(row, s.share === null ? "too few to say" : s.verdict);
      body.appendChild(row);
    });
    if (!shares.length) {
      var row = document.createElement("tr");
      cell(row, "No member has given an age band yet.");
      row.firstChild.colSpan = 5;
      body.appendChild(row);
    }
  }
  function questions(found) {
    var box = document.getElementById("self-description-questions");
    box.replaceChildren();
    found.forEach(function (q) {
      var h = document.createElement("h3");
      h.textContent = q.question.label + " (" + q.answered + " answered)";
      box.appendChild(h);
      var table = document.createElement("table");
      table.className = "data";
      var body = document.createElement("tbody");
      q.answers.forEach(function (a) {
        var row = document.createElement("tr");
        cell(row, a.answer);
        cell(row, String(a.count), "num");
        cell(row, percent(a.share), "num");
        body.appendChild(row);
      });
      table.appendChild(body);
      box.appendChild(table);
    });
  }
  fetch("/api/gaps/self-description", { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (data) {
      ageBands(data.age_bands);
      document.getElementById("age-source").textContent = data.age_source;
      questions(data.questions);
    })
    .catch(function (e) {
      document.querySelector("#age-bands tbody").textContent = "Could not load: " + e.message;
    });
})();
