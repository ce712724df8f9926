/* My record: the form is sent as one change (PATCH /api/me/record) with the
 * session's form token; erasure is asked for or withdrawn with its own button.
 * After a change the page is loaded again, so it shows what is now held. */
"use strict";
(function () {
  var form = document.getElementById("my-record");
  var status = document.getElementById("record-status");
  var csrf = form.dataset.csrf;
  var NOTES = "graphsvc-record-notes";

  function lines(text) {
    return text.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function change() {
    var body = {
      bio: form.elements.bio.value,
      place: form.elements.place.value.trim(),
      offers: lines(form.elements.offers.value),
      asks: lines(form.elements.asks.value),
      answers: {},
    };
    var chosen = form.querySelector("input[name=visibility]:checked");
    if (chosen) body.visibility = chosen.value;
    var interests = Array.prototype.filter.call(
      form.querySelectorAll("input[name=interest]"), function (box) { return box.checked; }
    ).map(function (box) { return box.value; });
    form.elements.new_interests.value.split(",").forEach(function (name) {
      if (name.trim()) interests.push(name.trim());
    });
    body.interests = interests;
    var buddy = document.getElementById("buddying-opt-in");
    if (buddy) body.buddying_opt_in = buddy.checked;
    Array.prototype.forEach.call(form.querySelectorAll(".question"), function (q) {
      var consent = q.querySelector("input[name=consent]");
      body.answers[q.dataset.key] = {
        answer: q.querySelector("select").value || null,
        consent: consent ? consent.checked : false,
      };
    });
    return body;
  }

  function send(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (r) {
      if (r.ok) return r.status === 204 ? {} : r.json();
      return r.json().then(function (e) { throw new Error(e.error ? e.error.message : r.status); });
    });
  }

  function done(said) {
    return function (answer) {
      var notes = [said].concat((answer && answer.notes) || []);
      sessionStorage.setItem(NOTES, JSON.stringify(notes));
      location.reload();
    };
  }

  function failed(e) {
    status.textContent = "Not saved: " + e.message;
    status.className = "error";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    status.textContent = "Saving…";
    status.className = "";
    send("PATCH", "/api/me/record", change()).then(done("Your changes are saved.")).catch(failed);
  });

  var ask = document.getElementById("ask-erasure");
  if (ask) ask.addEventListener("click", function () {
    if (!confirm("Ask for everything held about you to be erased? An admin will confirm it.")) return;
    send("POST", "/api/me/erasure-request").then(done("Your request for erasure is sent to the admins.")).catch(failed);
  });
  var withdraw = document.getElementById("withdraw-erasure");
  if (withdraw) withdraw.addEventListener("click", function () {
    send("DELETE", "/api/me/erasure-request").then(done("Your request for erasure is withdrawn.")).catch(failed);
  });

  var kept = sessionStorage.getItem(NOTES);
  if (kept) {
    sessionStorage.removeItem(NOTES);
    status.textContent = JSON.parse(kept).join(" ");
    status.className = "saved";
  }
})();
