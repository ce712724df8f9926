/* The Introductions page: ranked pairs with reasons and an introducer, and a
 * button to record that an introduction was made. Strings are set as text. */
"use strict";
(function () {
  var list = document.getElementById("introductions");
  var csrf = list.dataset.csrf;

  var text = GraphMap.text;

  function record(intro, button) {
    button.disabled = true;
    fetch("/api/introductions", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify({ a: intro.a.id, b: intro.b.id, status: "made" }),
    }).then(function (r) {
      if (!r.ok) throw new Error("the service answered " + r.status);
      button.replaceWith(text("span", "Marked as made", "done"));
    }).catch(function (e) {
      button.disabled = false;
      button.after(text("span", " Could not record it: " + e.message));
    });
  }

  GraphMap.getJson("/api/introductions?limit=50")
    .then(function (page) {
      list.replaceChildren();
      page.items.forEach(function (intro) {
        var li = document.createElement("li");
        li.appendChild(text("h2", intro.a.name + " and " + intro.b.name));
        li.appendChild(text("p", intro.reasons.join("; ")));
        if (intro.introducer) li.appendChild(text("p", "Introducer: " + intro.introducer.name));
        var button = text("button", "Mark as made");
        button.type = "button";
        button.addEventListener("click", function () { record(intro, button); });
        li.appendChild(button);
        list.appendChild(li);
      });
      if (!page.items.length) list.appendChild(text("li", "No introductions to suggest."));
    })
    .catch(function (e) { list.replaceChildren(text("li", "Could not load the introductions: " + e.message)); });
})();
