/* The Introductions page: suggested pairs ranked by what they would change,
 * for one person found by name, for a region, nation, sector or cell, or among
 * the viewer's own contacts; marking an outcome (made, declined, led
 * somewhere); and the introductions already recorded. What is shown lives in
 * the address (query string), so a view can be bookmarked or shared and opens
 * as it was left. Cards come from IntroductionCards (person_introductions.js).
 * Every string from the service is set as text, never as HTML. */
"use strict";
(function () {
  var root = document.getElementById("intro-page");
  var form = document.getElementById("intro-filters");
  var list = document.getElementById("introductions");
  var status = document.getElementById("intro-status");
  var found = document.getElementById("intro-people");
  var personLine = document.getElementById("intro-person");
  var tabSuggested = document.getElementById("tab-suggested");
  var tabRecorded = document.getElementById("tab-recorded");
  var recordedChoice = document.getElementById("recorded-choice");
  var recordedStatus = document.getElementById("recorded-status");
  var among = form.elements.among || null;
  var csrf = root.dataset.csrf;
  var own = root.dataset.ownPerson || null;
  var text = GraphMap.text;
  var getJson = GraphMap.getJson;
  var FILTERS = ["region", "nation", "sector", "cell"];

  var state = { person: null, personName: null, recorded: null };
  // Outcomes marked here that the service has not listed yet (it records at once
  // and lists them once its view has caught up, a moment later).
  var justRecorded = [];

  function filterValues() {
    var values = {};
    FILTERS.forEach(function (name) {
      var s = form.elements[name];
      if (s && s.value) values[name] = s.value;
    });
    return values;
  }

  // The address says what is shown: the person, the filters, mine, the tab.
  function remember() {
    var params = new URLSearchParams();
    if (state.person) params.set("person", state.person);
    var values = filterValues();
    Object.keys(values).forEach(function (k) { params.set(k, values[k]); });
    if (among && among.checked) params.set("among", "mine");
    if (state.recorded) params.set("recorded", state.recorded);
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  function restore() {
    var params = new URLSearchParams(location.search);
    FILTERS.forEach(function (name) {
      var s = form.elements[name];
      var wanted = params.get(name);
      if (s && wanted !== null && Array.prototype.some.call(s.options, function (o) { return o.value === wanted; })) {
        s.value = wanted;
      }
    });
    if (among) among.checked = params.get("among") === "mine";
    state.person = params.get("person");
    var recorded = params.get("recorded");
    state.recorded = recorded && Array.prototype.some.call(recordedStatus.options, function (o) { return o.value === recorded; }) ? recorded : null;
    if (state.recorded) recordedStatus.value = state.recorded;
  }

  function showPerson() {
    personLine.hidden = !state.person;
    if (state.person) personLine.querySelector("span").textContent = "Introductions for " + (state.personName || "the person chosen");
  }

  // The list's address at the service, for what is chosen now.
  function source() {
    if (state.recorded) {
      var recorded = new URLSearchParams({ limit: "100", recorded: state.recorded });
      if (state.person) recorded.set("person", state.person);
      return "/api/introductions?" + recorded.toString();
    }
    if (among && among.checked && own) return "/api/connectors/" + encodeURIComponent(own) + "/introductions?limit=50";
    if (state.person) return "/api/people/" + encodeURIComponent(state.person) + "/introductions?limit=50";
    var params = new URLSearchParams(filterValues());
    params.set("limit", "50");
    return "/api/introductions?" + params.toString();
  }

  // The same list as a file: the service's file of what is chosen now.
  function pointDownloads() {
    var params = new URLSearchParams();
    var url = "/api/introductions";
    if (state.recorded) {
      params.set("recorded", state.recorded);
      if (state.person) params.set("person", state.person);
    } else if (among && among.checked && own) url = "/api/connectors/" + encodeURIComponent(own) + "/introductions";
    else if (state.person) params.set("person", state.person);
    else params = new URLSearchParams(filterValues());
    GraphMap.fileLinks("intro-file", url, params);
  }

  function describe(count) {
    var what = state.recorded ? "recorded introduction" : "suggestion";
    var scope = [];
    if (state.recorded) {
      // Recorded follows the person chosen; the filters do not apply to it.
      scope.push(state.person ? "for " + (state.personName || "the person chosen") : "across the whole network");
      scope.push("newest first");
    } else {
      if (among && among.checked) scope.push("among your contacts");
      else if (state.person) scope.push("for " + (state.personName || "the person chosen"));
      else {
        var values = filterValues();
        Object.keys(values).forEach(function (k) {
          var s = form.elements[k];
          scope.push(k + ": " + s.options[s.selectedIndex].text);
        });
      }
    }
    return count + " " + what + (count === 1 ? "" : "s") + (scope.length ? " " + scope.join(", ") : "");
  }

  function record(intro, outcome, li) {
    var buttons = li.querySelectorAll(".intro-outcomes button");
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    fetch("/api/introductions", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify({ a: intro.a.id, b: intro.b.id, status: outcome }),
    }).then(function (r) {
      if (!r.ok) throw new Error("the service answered " + r.status);
      justRecorded.push({ a: intro.a, b: intro.b, status: outcome, date: new Date().toISOString().slice(0, 10), introducer: null, reasons: [], would_change: [] });
      var box = li.querySelector(".intro-outcomes");
      box.replaceChildren(text("span", "Recorded as " + IntroductionCards.OUTCOMES[outcome].toLowerCase() + ": listed under Recorded", "done"));
      li.classList.add("intro-recorded");
    }).catch(function (e) {
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
      li.querySelector(".intro-outcomes").appendChild(text("span", " Could not record it: " + e.message, "intro-error"));
    });
  }

  // Suggestions: an outcome to mark; the introductions cards may hold more
  // actions (another part of the site adds asking for an introduction).
  function outcomes(intro, li) {
    if (intro.status) return;
    var box = document.createElement("p");
    box.className = "intro-outcomes card-actions";
    box.appendChild(text("span", "Mark as:", "intro-mark"));
    Object.keys(IntroductionCards.OUTCOMES).forEach(function (outcome) {
      var b = text("button", IntroductionCards.OUTCOMES[outcome]);
      b.type = "button";
      b.dataset.outcome = outcome;
      b.addEventListener("click", function () { record(intro, outcome, li); });
      box.appendChild(b);
    });
    li.appendChild(box);
  }

  function samePair(x, y) {
    return (x.a.id === y.a.id && x.b.id === y.b.id) || (x.a.id === y.b.id && x.b.id === y.a.id);
  }

  function withJustRecorded(items) {
    if (!state.recorded) return items;
    var extra = justRecorded.filter(function (r) {
      return (state.recorded === "all" || r.status === state.recorded) &&
        (!state.person || r.a.id === state.person || r.b.id === state.person) &&
        !items.some(function (i) { return samePair(i, r); });
    });
    return extra.reverse().concat(items);
  }

  var loading = 0;
  function load() {
    remember();
    showPerson();
    pointDownloads();
    var mine = ++loading;
    status.textContent = "Loading…";
    list.setAttribute("aria-busy", "true");
    getJson(source()).then(function (body) {
      if (mine !== loading) return;
      var items = withJustRecorded(Array.isArray(body) ? body : body.items);
      list.replaceChildren();
      items.forEach(function (intro) { list.appendChild(IntroductionCards.card(intro, { actions: outcomes })); });
      status.textContent = describe(items.length) + ".";
      if (!items.length) {
        list.appendChild(text("li", state.recorded ? "No introductions recorded with this outcome yet." : "No introductions to suggest here.", "intro-none"));
      }
    }).catch(function (e) {
      if (mine !== loading) return;
      list.replaceChildren();
      status.textContent = "Could not load the introductions: " + e.message;
    }).then(function () { list.removeAttribute("aria-busy"); });
  }

  function setTab(recorded) {
    state.recorded = recorded ? recordedStatus.value : null;
    tabSuggested.setAttribute("aria-pressed", String(!recorded));
    tabRecorded.setAttribute("aria-pressed", String(recorded));
    recordedChoice.hidden = !recorded;
    form.classList.toggle("intro-filters-idle", recorded);
    load();
  }

  // One way of choosing at a time: a person, the filters, or my contacts.
  function choosePerson(p) {
    state.person = p.id;
    state.personName = p.name;
    found.replaceChildren();
    document.getElementById("intro-q").value = "";
    FILTERS.forEach(function (name) { if (form.elements[name]) form.elements[name].value = ""; });
    if (among) among.checked = false;
    load();
  }

  var pending = null;
  document.getElementById("intro-q").addEventListener("input", function (event) {
    clearTimeout(pending);
    var words = event.target.value.trim();
    pending = setTimeout(function () {
      if (!words) { found.replaceChildren(); return; }
      getJson("/api/people?limit=10&q=" + encodeURIComponent(words)).then(function (page) {
        found.replaceChildren();
        page.items.forEach(function (p) {
          var li = document.createElement("li");
          var label = p.name + (p.region ? " (" + p.region + ")" : "");
          var button = text("button", label);
          button.type = "button";
          button.addEventListener("click", function () { choosePerson(p); });
          li.appendChild(button);
          found.appendChild(li);
        });
        if (!page.items.length) found.appendChild(text("li", "No one found"));
      }).catch(function (e) { found.replaceChildren(text("li", "Could not search: " + e.message)); });
    }, 200);
  });
  document.getElementById("intro-person-clear").addEventListener("click", function () {
    state.person = null;
    state.personName = null;
    load();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  FILTERS.forEach(function (name) {
    var s = form.elements[name];
    if (!s) return;
    s.addEventListener("change", function () {
      state.person = null;
      if (among) among.checked = false;
      if (state.recorded) setTab(false); else load();
    });
  });
  if (among) {
    among.addEventListener("change", function () {
      if (among.checked) {
        state.person = null;
        FILTERS.forEach(function (name) { if (form.elements[name]) form.elements[name].value = ""; });
      }
      if (state.recorded) setTab(false); else load();
    });
  }
  tabSuggested.addEventListener("click", function () { setTab(false); });
  tabRecorded.addEventListener("click", function () { setTab(true); });
  recordedStatus.addEventListener("change", function () { setTab(true); });

  restore();
  if (state.recorded) {
    tabSuggested.setAttribute("aria-pressed", "false");
    tabRecorded.setAttribute("aria-pressed", "true");
    recordedChoice.hidden = false;
    form.classList.add("intro-filters-idle");
  }
  // A person restored from the address: their name from the service, which
  // says 404 for someone this viewer may not see.
  if (state.person) {
    getJson("/api/people/" + encodeURIComponent(state.person)).then(function (p) {
      state.personName = p.name;
      showPerson();
      status.textContent = status.textContent.replace("the person chosen", p.name);
    }).catch(function () {});
  }
  load();
})();
