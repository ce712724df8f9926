/* People I know, My introductions, Requests to pass on, Relationship surveys,
 * and what waits for the member on the home page. Each part runs only where
 * its element is on the page. Every string from the service is set as text,
 * never as HTML. */
"use strict";
(function () {
  var STATUS_WORDS = {
    requested: "waiting for the introducer or a connector",
    asked: "passed on: each of you is asked",
    introduced: "introduced: you both said yes",
    declined: "declined",
    refused: "not passed on",
    withdrawn: "withdrawn",
    pending: "waiting for them to confirm",
    confirmed: "confirmed",
  };
  var HOW_WELL = [
    ["know_a_little", "Know a little"],
    ["know_well", "Know well"],
    ["work_closely", "Work closely"],
  ];

  function el(tag, value, className) {
    var node = document.createElement(tag);
    if (value !== undefined && value !== null) node.textContent = value;
    if (className) node.className = className;
    return node;
  }

  function failed(r, body) {
    return new Error((body && body.error && body.error.message) || "the service answered " + r.status);
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw failed(r, body);
        return body;
      });
    });
  }

  function send(method, url, csrf, body) {
    var options = { method: method, credentials: "same-origin", headers: { "x-csrf-token": csrf } };
    if (body !== undefined) {
      options.headers["content-type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (r) {
      if (r.status === 204) return null;
      return r.json().then(function (answer) {
        if (!r.ok) throw failed(r, answer);
        return answer;
      });
    });
  }

  function personLine(p) {
    if (!p) return "someone who is no longer shown";
    var where = [p.organisation && p.organisation.name, p.region].filter(Boolean).join(", ");
    return where ? p.name + " (" + where + ")" : p.name;
  }

  function button(label, onClick, className) {
    var b = el("button", label, className);
    b.type = "button";
    b.addEventListener("click", function () { b.disabled = true; onClick(b); });
    return b;
  }

  function fill(list, items, render, empty) {
    list.replaceChildren();
    items.forEach(function (item) { list.appendChild(render(item)); });
    if (!items.length) list.appendChild(el("li", empty, "hint"));
  }

  function actions() {
    var span = el("span", null, "tie-actions");
    Array.prototype.slice.call(arguments).forEach(function (b) { span.appendChild(b); });
    return span;
  }

  function searchPeople(query) {
    return getJson("/api/people?limit=20&q=" + encodeURIComponent(query)).then(function (page) {
      return page.items;
    });
  }

  function chosenPerson(id) {
    return id ? getJson("/api/people/" + encodeURIComponent(id)).then(function (p) { return [p]; })
      : Promise.resolve(null);
  }

  function wireSearch(form, input, results, render, chosen) {
    function show(people) {
      fill(results, people, render, "Nobody found: try another name.");
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (input.value.trim().length < 2) return;
      searchPeople(input.value.trim()).then(show).catch(function (e) {
        results.replaceChildren(el("li", "Could not search: " + e.message));
      });
    });
    chosenPerson(chosen).then(function (people) { if (people) show(people); }).catch(function () {});
  }

  /* --- People I know --------------------------------------------------------- */

  function initTies(root) {
    var csrf = root.dataset.csrf;
    var status = document.getElementById("ties-status");
    var me = null;

    function done(message) { status.textContent = message; load(); }
    function oops(e) { status.textContent = "That did not work: " + e.message; load(); }

    function answer(tie, confirm) {
      var url = "/api/me/ties/" + tie.id + (confirm ? "/confirm" : "/decline");
      send("POST", url, csrf).then(function () {
        done(confirm ? "Confirmed: the tie is now part of the network." : "Declined.");
      }).catch(oops);
    }

    function withdraw(tie) {
      send("DELETE", "/api/me/ties/" + tie.id, csrf).then(function () { done("Withdrawn."); }).catch(oops);
    }

    function waitingItem(tie) {
      var li = el("li");
      li.appendChild(el("span", personLine(tie.person) + " says they know you (" + tie.how_well + ")."));
      li.appendChild(actions(
        button("Confirm", function () { answer(tie, true); }),
        button("Decline", function () { answer(tie, false); }, "secondary")
      ));
      return li;
    }

    function namedItem(tie) {
      var li = el("li");
      li.appendChild(el("span", personLine(tie.person) + ": " + tie.how_well + ", " + (STATUS_WORDS[tie.status] || tie.status) + "."));
      if (tie.status !== "declined") li.appendChild(actions(button("Withdraw", function () { withdraw(tie); }, "secondary")));
      return li;
    }

    function confirmedItem(tie) {
      var li = el("li");
      if (tie.from_graph) {
        li.appendChild(el("span", personLine(tie.person) + " (" + tie.came_from + ")"));
        return li;
      }
      li.appendChild(el("span", personLine(tie.person) + ": " + tie.how_well + (tie.named_by_you ? " (you named them)" : " (they named you)")));
      li.appendChild(actions(button("Remove", function () { withdraw(tie); }, "secondary")));
      return li;
    }

    function resultItem(person) {
      var li = el("li");
      li.appendChild(el("span", personLine(person)));
      if (person.id === me) { li.appendChild(el("span", " (you)", "hint")); return li; }
      var select = el("select");
      select.setAttribute("aria-label", "How well you know " + person.name);
      HOW_WELL.forEach(function (pair) {
        var option = el("option", pair[1]);
        option.value = pair[0];
        if (pair[0] === "know_well") option.selected = true;
        select.appendChild(option);
      });
      li.appendChild(actions(select, button("Add", function (b) {
        send("POST", "/api/me/ties", csrf, { person: person.id, strength: select.value }).then(function (tie) {
          select.disabled = true;
          b.replaceWith(el("span", "Added", "done"));
          done(tie.status === "confirmed" ? "They had named you too: the tie is confirmed."
            : "Added: " + person.name + " is asked to confirm.");
        }).catch(oops);
      })));
      return li;
    }

    function load() {
      getJson("/api/me/ties").then(function (mine) {
        fill(document.getElementById("ties-waiting"), mine.waiting_for_you, waitingItem, "Nobody is waiting for your answer.");
        fill(document.getElementById("ties-named"), mine.named_by_you.filter(function (t) { return t.status !== "confirmed"; }), namedItem, "No ties waiting for others.");
        // Named here (and removable), then the rest of the graph's ties, which only say where they came from.
        var known = mine.confirmed.concat((mine.in_the_graph || []).map(function (t) { t.from_graph = true; return t; }));
        fill(document.getElementById("ties-confirmed"), known, confirmedItem, "No confirmed ties yet.");
      }).catch(function (e) { status.textContent = "Could not load your ties: " + e.message; });
    }

    getJson("/api/me").then(function (mine) { me = mine.user.person_id; }).catch(function () {});
    wireSearch(document.getElementById("tie-search"), document.getElementById("tie-query"),
      document.getElementById("tie-results"), resultItem, root.dataset.chosen);
    load();
  }

  /* --- introduction requests ------------------------------------------------- */

  function requestItem(request, csrf, after) {
    var li = el("li");
    var line;
    if (request.your_part === "requester") line = "You asked to meet " + personLine(request.other);
    else if (request.your_part === "other") line = personLine(request.requester) + " would like to meet you";
    else line = personLine(request.requester) + " would like to meet " + personLine(request.other);
    if (request.introducer) line += ", through " + request.introducer.name;
    li.appendChild(el("p", line + "."));
    if (request.note) li.appendChild(el("p", "“" + request.note + "”", "note"));
    li.appendChild(el("p", "Status: " + (STATUS_WORDS[request.status] || request.status) +
      (request.outcome === "led_somewhere" ? ", and it led somewhere" : "") + ".", "hint"));
    var url = "/api/introduction-requests/" + request.id;
    function act(path, body, message) {
      // ``message`` may depend on the request as the service answers it.
      return function () { send("POST", url + path, csrf, body).then(function (answered) { after(typeof message === "function" ? message(answered) : message); }).catch(function (e) { after("That did not work: " + e.message); }); };
    }
    var buttons = [];
    if (request.may_pass_on) {
      buttons.push(button("Pass on", act("/pass-on", undefined, "Passed on: each of them is asked.")));
      buttons.push(button("Do not pass on", act("/refuse", undefined, "Not passed on."), "secondary"));
    }
    var mine = request.your_part === "requester" || request.your_part === "other";
    // The second yes shows the email at once: say so, not that it is still to come.
    function saidYes(answered) {
      return answered && answered.contact_email
        ? "Thank you. You have both said yes: the other’s email is shown below."
        : "Thank you. Once you have both said yes, each of you sees the other’s email here.";
    }
    if (mine && request.status === "asked" && !request.your_answer) {
      buttons.push(button("Yes, share my email", act("/answer", { accept: true }, saidYes)));
      buttons.push(button("No, thank you", act("/answer", { accept: false }, "Declined."), "secondary"));
    } else if (mine && request.status === "asked") {
      li.appendChild(el("p", "You said " + request.your_answer + "; waiting for the other answer.", "hint"));
    }
    if (request.contact_email) {
      var contact = el("p", "Email: ", "contact");
      var link = el("a", request.contact_email);
      link.href = "mailto:" + request.contact_email;
      contact.appendChild(link);
      li.appendChild(contact);
      if (request.outcome !== "led_somewhere") buttons.push(button("It led somewhere", act("/led-somewhere", undefined, "Thank you: recorded."), "secondary"));
    }
    if (request.your_part === "requester" && (request.status === "requested" || request.status === "asked")) {
      buttons.push(button("Withdraw", act("/withdraw", undefined, "Withdrawn."), "secondary"));
    }
    if (buttons.length) li.appendChild(actions.apply(null, buttons));
    return li;
  }

  function initRequests(root) {
    var csrf = root.dataset.csrf;
    var status = document.getElementById("requests-status");
    function after(message) { status.textContent = message; load(); }
    function render(request) { return requestItem(request, csrf, after); }

    function resultItem(person) {
      var li = el("li");
      li.appendChild(el("span", personLine(person)));
      var note = el("input");
      note.maxLength = 500;
      note.placeholder = "Why you would like to meet (optional)";
      note.setAttribute("aria-label", "Why you would like to meet " + person.name);
      li.appendChild(actions(note, button("Ask for an introduction", function (b) {
        send("POST", "/api/introduction-requests", csrf, { person: person.id, note: note.value }).then(function () {
          note.disabled = true;
          b.replaceWith(el("span", "Asked", "done"));
          after("Asked: the introducer or a connector will pass it on.");
        }).catch(function (e) { after("That did not work: " + e.message); });
      })));
      return li;
    }

    function load() {
      getJson("/api/me/introduction-requests").then(function (mine) {
        fill(document.getElementById("requests-asked-of"), mine.asked_of_you, render, "Nobody has asked to meet you.");
        fill(document.getElementById("requests-asked-by"), mine.asked_by_you, render, "You have not asked for any introductions.");
        fill(document.getElementById("requests-to-pass-on"), mine.to_pass_on, render, "Nothing for you to pass on.");
      }).catch(function (e) { status.textContent = "Could not load your introductions: " + e.message; });
    }

    wireSearch(document.getElementById("request-search"), document.getElementById("request-query"),
      document.getElementById("request-results"), resultItem, root.dataset.chosen);
    load();
  }

  function initQueue(root) {
    var csrf = root.dataset.csrf;
    var status = document.getElementById("queue-status");
    function after(message) { status.textContent = message; load(); }
    function load() {
      getJson("/api/introduction-requests").then(function (queue) {
        fill(document.getElementById("queue"), queue, function (r) { return requestItem(r, csrf, after); }, "No requests are waiting.");
      }).catch(function (e) { status.textContent = "Could not load the requests: " + e.message; });
    }
    load();
  }

  /* --- relationship surveys -------------------------------------------------- */

  function rateTable(caption, rows) {
    var table = el("table");
    table.appendChild(el("caption", caption));
    var head = el("tr");
    ["", "Asked", "Answered", "Rate"].forEach(function (h, i) {
      var th = el("th", h, i ? "num" : "");
      th.scope = "col";
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el("tbody");
    rows.forEach(function (row) {
      var tr = el("tr");
      tr.appendChild(el("td", row.name));
      tr.appendChild(el("td", String(row.asked), "num"));
      tr.appendChild(el("td", String(row.answered), "num"));
      tr.appendChild(el("td", row.rate === null ? "–" : Math.round(row.rate * 100) + "%", "num"));
      body.appendChild(tr);
    });
    table.appendChild(body);
    var scroll = el("div", null, "table-scroll");
    scroll.appendChild(table);
    return scroll;
  }

  function initSurveys(root) {
    var csrf = root.dataset.csrf;
    var status = document.getElementById("surveys-status");
    var list = document.getElementById("surveys");
    var form = document.getElementById("survey-form");
    function after(message) { status.textContent = message; load(); }

    function surveyCard(survey) {
      var card = el("article", null, "survey");
      card.appendChild(el("h3", survey.name));
      var focus = [survey.cell && survey.cell.name, survey.region].filter(Boolean).join(", ") || "everyone";
      card.appendChild(el("p", "Asks " + focus + "; " + (survey.open ? "open until " + survey.closes : "closed") +
        ". Answered: " + survey.overall.answered + " of " + survey.overall.asked + " asked" +
        (survey.overall.rate === null ? "" : " (" + Math.round(survey.overall.rate * 100) + "%)") + ".", "hint"));
      card.appendChild(rateTable("By region", survey.by_region));
      if (survey.by_cell.length) card.appendChild(rateTable("By cell", survey.by_cell));
      if (survey.open) {
        card.appendChild(button("Close the round", function () {
          send("POST", "/api/tie-surveys/" + survey.id + "/close", csrf).then(function () { after("Closed."); })
            .catch(function (e) { after("That did not work: " + e.message); });
        }, "secondary"));
      }
      return card;
    }

    function load() {
      getJson("/api/tie-surveys").then(function (surveys) {
        list.replaceChildren();
        surveys.forEach(function (s) { list.appendChild(surveyCard(s)); });
        if (!surveys.length) list.appendChild(el("p", "No rounds yet.", "hint"));
      }).catch(function (e) { status.textContent = "Could not load the rounds: " + e.message; });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var body = { name: data.get("name"), closes: data.get("closes") };
      if (data.get("cell")) body.cell = data.get("cell");
      if (data.get("region")) body.region = data.get("region");
      send("POST", "/api/tie-surveys", csrf, body).then(function () {
        form.reset();
        after("The round is open: members in its focus are asked on their home page.");
      }).catch(function (e) { after("That did not work: " + e.message); });
    });
    load();
  }

  /* --- the home page --------------------------------------------------------- */

  function initHome(root) {
    var csrf = root.dataset.csrf;
    var list = document.getElementById("home-asks-list");

    function link(text, href) {
      var a = el("a", text);
      a.href = href;
      return a;
    }

    function show(ties, requests) {
      list.replaceChildren();
      ties.waiting_for_you.forEach(function (tie) {
        var li = el("li");
        li.appendChild(el("span", personLine(tie.person) + " says they know you (" + tie.how_well + "). "));
        function answer(confirm) {
          send("POST", "/api/me/ties/" + tie.id + (confirm ? "/confirm" : "/decline"), csrf).then(load)
            .catch(function (e) { li.appendChild(el("span", " That did not work: " + e.message)); });
        }
        li.appendChild(actions(button("Confirm", function () { answer(true); }),
          button("Decline", function () { answer(false); }, "secondary")));
        list.appendChild(li);
      });
      ties.surveys.filter(function (s) { return !s.answered; }).forEach(function (survey) {
        var li = el("li");
        li.appendChild(el("span", "“" + survey.name + "” asks who you work with (open until " + survey.closes + "). "));
        li.appendChild(link("Name people you know", "/me/ties"));
        list.appendChild(li);
      });
      requests.asked_of_you.filter(function (r) { return r.status === "asked" && !r.your_answer; }).forEach(function (r) {
        var li = el("li");
        li.appendChild(el("span", personLine(r.requester) + " would like to meet you. "));
        li.appendChild(link("Answer", "/introduction-requests"));
        list.appendChild(li);
      });
      requests.asked_by_you.filter(function (r) { return r.status === "asked" && !r.your_answer; }).forEach(function (r) {
        var li = el("li");
        li.appendChild(el("span", "Your introduction to " + personLine(r.other) + " was passed on. "));
        li.appendChild(link("Answer", "/introduction-requests"));
        list.appendChild(li);
      });
      if (requests.to_pass_on.some(function (r) { return r.may_pass_on; })) {
        var li = el("li");
        li.appendChild(el("span", "Someone asked you to introduce them. "));
        li.appendChild(link("See the request", "/introduction-requests"));
        list.appendChild(li);
      }
      root.hidden = !list.children.length;
    }

    function load() {
      Promise.all([getJson("/api/me/ties"), getJson("/api/me/introduction-requests")])
        .then(function (both) { show(both[0], both[1]); })
        .catch(function () { root.hidden = true; });
    }
    load();
  }

  var parts = [
    ["ties", initTies],
    ["intro-requests", initRequests],
    ["intro-queue", initQueue],
    ["tie-surveys", initSurveys],
    ["home-asks", initHome],
  ];
  parts.forEach(function (part) {
    var root = document.getElementById(part[0]);
    if (root) part[1](root);
  });
})();
