/* Buddying: the member's buddy (home page and the Buddying page), rounds a
 * convenor proposes and confirms, and who asked for a buddy (admins).
 * Strings from the service are set as text, never as HTML. */
"use strict";
(function () {
  var mine = document.getElementById("my-buddy");
  var csrf = mine ? mine.dataset.csrf : "";

  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (className) el.className = className;
    return el;
  }

  function call(method, url, body) {
    var options = { method: method, credentials: "same-origin", headers: {} };
    if (method !== "GET") options.headers["x-csrf-token"] = csrf;
    if (body !== undefined) {
      options.headers["content-type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (r) {
      if (r.status === 204) return null;
      return r.json().then(function (answer) {
        if (!r.ok) throw new Error((answer.error && answer.error.message) || "the service answered " + r.status);
        return answer;
      });
    });
  }

  function where(person) {
    return [person.sector, person.region].filter(Boolean).join(", ");
  }

  function personLine(person) {
    var li = document.createElement("li");
    li.appendChild(text("strong", person.name));
    var about = where(person);
    if (about) li.appendChild(text("span", " · " + about, "muted"));
    return li;
  }

  // --- my buddy ---------------------------------------------------------------------

  // Opted in, but a round only pairs people whose record the network may see.
  function cannotBePaired() {
    var li = text("li", "You asked for a buddy, but you cannot be paired while your record is not visible to the network: only people the whole network may see are paired. ");
    var link = text("a", "Change who sees your record on My record");
    link.href = "/me";
    li.appendChild(link);
    li.appendChild(document.createTextNode("."));
    return li;
  }

  function showMine(answer) {
    var list = document.getElementById("my-buddy-list");
    var always = mine.dataset.always === "1";
    list.replaceChildren();
    answer.buddies.forEach(function (b) {
      var li = personLine(b.buddy);
      li.appendChild(text("span", " · " + b.round + ", " + b.date, "muted"));
      if (b.reasons.length) li.appendChild(text("p", b.reasons.join(" ")));
      list.appendChild(li);
    });
    if (!answer.buddies.length) {
      if (!always && !answer.opted_in) return;
      if (answer.opted_in && !answer.may_be_paired) {
        list.appendChild(cannotBePaired());
        mine.hidden = false;
        return;
      }
      var said = answer.opted_in
        ? "You asked for a buddy: you will meet them after the next round."
        : answer.opted_in === null
          ? "Your account is not linked to a person in the network, so you cannot be paired."
          : "You have not asked for a buddy.";
      list.appendChild(text("li", said));
    }
    mine.hidden = false;
  }

  if (mine) {
    call("GET", "/api/buddying/me").then(showMine).catch(function (e) {
      if (mine.dataset.always === "1") {
        mine.hidden = false;
        document.getElementById("my-buddy-list").replaceChildren(text("li", "Could not load your buddy: " + e.message));
      }
    });
  }

  // --- rounds (convenors and admins) -------------------------------------------------

  var form = document.getElementById("round-form");
  var proposal = document.getElementById("proposal");
  var confirmed = document.getElementById("confirmed");

  function loadConfirmed() {
    call("GET", "/api/buddying/rounds?limit=200").then(function (page) {
      confirmed.replaceChildren();
      page.items.forEach(function (p) {
        var li = document.createElement("li");
        li.appendChild(text("strong", p.a.name + " and " + p.b.name));
        li.appendChild(text("span", " · " + p.round + " (across " + p.across + "), " + p.date, "muted"));
        confirmed.appendChild(li);
      });
      if (!page.items.length) confirmed.appendChild(text("li", "No pairs confirmed yet."));
    }).catch(function (e) { confirmed.replaceChildren(text("li", "Could not load the pairs: " + e.message)); });
  }

  function showProposal(round) {
    proposal.replaceChildren();
    if (!round.pairs.length) {
      proposal.appendChild(text("p", "No pairs to propose: too few people have asked for a buddy, or they all know each other already."));
      return;
    }
    proposal.appendChild(text("h3", round.pairs.length + (round.pairs.length === 1 ? " pair" : " pairs") + " proposed for “" + round.name + "”"));
    var list = document.createElement("ol");
    list.className = "buddy-pairs";
    round.pairs.forEach(function (pair, i) {
      var li = document.createElement("li");
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.index = String(i);
      label.appendChild(box);
      label.appendChild(text("strong", " " + pair.a.name + " and " + pair.b.name));
      li.appendChild(label);
      li.appendChild(text("p", pair.reasons.join(" ")));
      list.appendChild(li);
    });
    proposal.appendChild(list);
    if (round.unpaired.length) {
      proposal.appendChild(text("p", "No buddy this round: " + round.unpaired.map(function (p) { return p.name; }).join(", ") + ".", "explain"));
    }
    var button = text("button", "Confirm the ticked pairs");
    button.type = "button";
    button.id = "confirm-round";
    button.addEventListener("click", function () {
      var chosen = [];
      list.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        if (box.checked) {
          var pair = round.pairs[Number(box.dataset.index)];
          chosen.push([pair.a.id, pair.b.id]);
        }
      });
      button.disabled = true;
      call("POST", "/api/buddying/rounds", { name: round.name, across: round.across, pairs: chosen })
        .then(function (made) {
          proposal.replaceChildren(text("p", made.length + " pairs confirmed. Each member sees their buddy on their home page.", "done"));
          loadConfirmed();
        })
        .catch(function (e) {
          button.disabled = false;
          button.after(text("span", " Could not confirm them: " + e.message));
        });
    });
    proposal.appendChild(button);
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var asked = { name: form.elements.name.value, across: form.elements.across.value };
      proposal.replaceChildren(text("p", "Finding pairs…"));
      call("POST", "/api/buddying/proposals", asked).then(showProposal).catch(function (e) {
        proposal.replaceChildren(text("p", "Could not propose pairs: " + e.message));
      });
    });
    loadConfirmed();
  }

  // --- who asked for a buddy (admins) ------------------------------------------------

  var optedIn = document.getElementById("opted-in");
  var search = document.getElementById("opt-in-search");
  var found = document.getElementById("opt-in-found");
  var count = document.getElementById("opted-in-count");

  function mark(person, choice) {
    return call("PUT", "/api/buddying/opt-ins/" + encodeURIComponent(person.id), { opted_in: choice })
      .then(loadOptedIn);
  }

  function loadOptedIn() {
    return call("GET", "/api/buddying/opt-ins?limit=200").then(function (page) {
      if (count) count.textContent = page.total + (page.total === 1 ? " member has" : " members have") + " asked for a buddy.";
      if (!optedIn) return;
      optedIn.replaceChildren();
      page.items.forEach(function (person) {
        var li = personLine(person);
        var button = text("button", "Remove");
        button.type = "button";
        button.addEventListener("click", function () { button.disabled = true; mark(person, false); });
        li.appendChild(button);
        optedIn.appendChild(li);
      });
      if (!page.items.length) optedIn.appendChild(text("li", "Nobody yet."));
    }).catch(function (e) { if (optedIn) optedIn.replaceChildren(text("li", "Could not load them: " + e.message)); });
  }

  if (search) {
    search.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = search.elements.q.value.trim();
      if (!q) return;
      call("GET", "/api/people?limit=10&q=" + encodeURIComponent(q)).then(function (page) {
        found.replaceChildren();
        page.items.forEach(function (person) {
          var li = personLine(person);
          var button = text("button", "Has asked for a buddy");
          button.type = "button";
          button.addEventListener("click", function () {
            button.disabled = true;
            mark(person, true).then(function () { button.replaceWith(text("span", " Marked", "done")); });
          });
          li.appendChild(button);
          found.appendChild(li);
        });
        if (!page.items.length) found.appendChild(text("li", "Nobody of that name."));
      }).catch(function (e) { found.replaceChildren(text("li", "Could not search: " + e.message)); });
    });
  }
  if (form || optedIn) loadOptedIn();
})();
