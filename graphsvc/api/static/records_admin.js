/* The admins' page for members' requests: confirm or set aside an erasure, and
 * add or remove the questions members may answer (the whole list is sent). */
"use strict";
(function () {
  var requests = document.getElementById("erasure-requests");
  var csrf = requests.dataset.csrf;
  var status = document.getElementById("admin-status");

  function send(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (r) {
      if (r.ok) return null;
      return r.json().then(function (e) { throw new Error(e.error ? e.error.message : r.status); });
    });
  }
  function reload() { location.reload(); }
  function failed(e) { status.textContent = "Not done: " + e.message; }

  requests.addEventListener("click", function (event) {
    var item = event.target.closest("li[data-person]");
    if (!item) return;
    var url = "/api/erasure-requests/" + encodeURIComponent(item.dataset.person);
    if (event.target.classList.contains("confirm-erasure")) {
      if (!confirm("Erase this member's record, ties and account? This cannot be undone.")) return;
      send("POST", url + "/confirm").then(reload).catch(failed);
    } else if (event.target.classList.contains("decline-erasure")) {
      send("DELETE", url).then(reload).catch(failed);
    }
  });

  function configured(except) {
    return Array.prototype.map.call(document.querySelectorAll("#questions li[data-question]"), function (li) {
      return JSON.parse(li.dataset.question);
    }).filter(function (q) { return !q.built_in && q !== except; });
  }

  document.getElementById("questions").addEventListener("click", function (event) {
    if (!event.target.classList.contains("remove-question")) return;
    var gone = JSON.parse(event.target.closest("li").dataset.question).key;
    var kept = configured().filter(function (q) { return q.key !== gone; });
    send("PUT", "/api/self-description/questions", kept).then(reload).catch(failed);
  });

  var form = document.getElementById("add-question");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var added = {
      key: form.elements.key.value.trim(),
      label: form.elements.label.value.trim(),
      purpose: form.elements.purpose.value.trim(),
      options: form.elements.options.value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean),
      special_category: form.elements.special_category.checked,
    };
    var all = configured().map(function (q) {
      return { key: q.key, label: q.label, purpose: q.purpose, options: q.options, special_category: q.special_category };
    });
    all.push(added);
    send("PUT", "/api/self-description/questions", all).then(reload).catch(failed);
  });
})();
