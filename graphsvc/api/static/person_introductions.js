/* Introduction cards, and a person's introductions on their card.
 *
 * IntroductionCards.card(intro, options) builds one suggestion's card: both
 * people with their region, both scores in plain words, the reasons, and the
 * introducer with how they know each of the two. The Introductions page uses
 * it; so does this file's own part, which fills
 *   - any element with data-person-introductions and data-person (My network:
 *     the member's own introductions), and
 *   - the person card (#card) on Explore and My network, following the person
 *     chosen there (the address's ?person=), for connectors and admins.
 * The service decides who may see what; a refusal just leaves nothing shown.
 * Every string from the service is set as text, never as HTML. */
"use strict";
var IntroductionCards = (function () {
  var text = GraphMap.text;
  var OUTCOMES = { made: "Made", declined: "Declined", led_somewhere: "Led somewhere" };

  function where(p) {
    var bits = [];
    if (p.place && p.place.name) bits.push(p.place.name);
    if (p.region && (!p.place || p.place.name !== p.region)) bits.push(p.region);
    return bits.join(", ");
  }

  // One of the pair: their name, and where and in what sector they work.
  function person(p) {
    var li = document.createElement("li");
    li.appendChild(text("strong", p.name));
    var about = [where(p) || "region not known", p.sector].filter(Boolean).join(" · ");
    li.appendChild(text("span", " " + about, "intro-where"));
    return li;
  }

  function scores(intro) {
    var dl = document.createElement("dl");
    dl.className = "intro-scores";
    dl.appendChild(text("dt", "Likely to meet well"));
    dl.appendChild(text("dd", intro.likely || "low", "likely-" + (intro.likely || "low")));
    dl.appendChild(text("dt", "Would change"));
    dl.appendChild(text("dd", intro.would_change.length ? intro.would_change.join("; ") : "little in the network's shape"));
    return dl;
  }

  function introducer(intro, forOne) {
    var box = document.createElement("div");
    box.className = "intro-introducer";
    if (!intro.introducer) {
      box.appendChild(text("p", forOne ? "No one known to both yet." :
        "No introducer who knows both: introduce them yourself, or ask someone who knows one of them."));
      return box;
    }
    var line = text("p", "Introducer: ");
    line.appendChild(text("strong", intro.introducer.name));
    if (intro.introducer.region) line.appendChild(document.createTextNode(" (" + intro.introducer.region + ")"));
    box.appendChild(line);
    var knows = intro.introducer_knows || [];
    if (knows.length === 2) {
      var ul = document.createElement("ul");
      ul.className = "intro-knows";
      [intro.a, intro.b].forEach(function (p, i) {
        ul.appendChild(text("li", p.name + ": " + knows[i]));
      });
      box.appendChild(ul);
    }
    return box;
  }

  // options.heading: the heading's tag; options.subject: the person whose
  // introductions these are (then only the other is introduced by name);
  // options.actions(intro, li): extra controls.
  function card(intro, options) {
    options = options || {};
    var li = document.createElement("li");
    li.className = "intro-card";
    li.dataset.a = intro.a.id;
    li.dataset.b = intro.b.id;
    var other = options.subject === intro.a.id ? intro.b : options.subject === intro.b.id ? intro.a : null;
    li.appendChild(text(options.heading || "h2", other ? "With " + other.name : intro.a.name + " and " + intro.b.name));
    var pair = document.createElement("ul");
    pair.className = "intro-pair";
    (other ? [other] : [intro.a, intro.b]).forEach(function (p) { pair.appendChild(person(p)); });
    li.appendChild(pair);
    if (intro.status) {
      li.appendChild(text("p", "Recorded: " + (OUTCOMES[intro.status] || intro.status).toLowerCase() + (intro.date ? " on " + intro.date : ""), "done intro-outcome"));
      if (intro.introducer) li.appendChild(text("p", "By " + intro.introducer.name));
    } else {
      li.appendChild(scores(intro));
      if (intro.reasons.length) {
        li.appendChild(text("h4", "Why", "intro-why"));
        var reasons = document.createElement("ul");
        reasons.className = "intro-reasons";
        intro.reasons.forEach(function (r) { reasons.appendChild(text("li", r)); });
        li.appendChild(reasons);
      }
      li.appendChild(introducer(intro, Boolean(other)));
    }
    if (options.actions) options.actions(intro, li);
    return li;
  }

  // A member linked to someone in the network (the header offers People I
  // know) may ask for an introduction to the other of the pair.
  function askLink(personId) {
    return function (intro, li) {
      if (!document.querySelector('header nav a[href="/me/ties"]')) return;
      var other = intro.a.id === personId ? intro.b : intro.a;
      var a = text("a", "Ask for an introduction to " + other.name);
      a.href = "/introduction-requests?to=" + encodeURIComponent(other.id);
      var p = document.createElement("p");
      p.className = "card-actions";
      p.appendChild(a);
      li.appendChild(p);
    };
  }

  // A person's introductions into box (emptied first); nothing where refused.
  function render(box, personId, options) {
    options = options || {};
    var list = document.createElement("ol");
    list.className = "intros intros-person";
    box.replaceChildren(text(options.titleTag || "h3", options.title || "Introductions"));
    box.hidden = false;
    return GraphMap.getJson("/api/people/" + encodeURIComponent(personId) + "/introductions?limit=" + (options.limit || 5))
      .then(function (found) {
        if (!found.length) {
          box.appendChild(text("p", "No introductions to suggest now."));
          return;
        }
        found.forEach(function (intro) {
          list.appendChild(card(intro, {
            heading: options.titleTag === "h2" ? "h3" : "h4", subject: personId, actions: options.actions,
          }));
        });
        box.appendChild(list);
        if (options.more) {
          var more = text("a", options.more);
          more.href = "/introductions?person=" + encodeURIComponent(personId);
          box.appendChild(text("p", "")).appendChild(more);
        }
      })
      .catch(function () { box.replaceChildren(); box.hidden = true; });
  }

  // My network: the member's own introductions, with the reasons.
  function fillOwn() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-person-introductions]"), function (box) {
      var id = box.dataset.person;
      render(box, id, { title: "Introductions for you", titleTag: "h2", limit: 10, actions: askLink(id) });
    });
  }

  // Explore: the card shows the chosen person's introductions, when the viewer may see them.
  function followCard() {
    var cardBox = document.getElementById("card");
    // Connectors and admins, whom the header offers Introductions, see anyone's.
    var mayAsk = document.querySelector('header nav a[href="/introductions"]');
    if (!cardBox || !mayAsk) return;
    var shown = null;
    var section = document.createElement("section");
    section.id = "card-introductions";
    section.className = "card-introductions";
    new MutationObserver(function () {
      var chosen = new URLSearchParams(location.search).get("person");
      var heading = cardBox.querySelector("h2");
      if (!chosen || !heading) { shown = null; return; }
      if (section.parentNode === cardBox && shown === chosen) return;
      shown = chosen;
      cardBox.appendChild(section);
      render(section, chosen, { title: "Introductions", limit: 3, more: "All their introductions" });
    }).observe(cardBox, { childList: true });
  }

  document.addEventListener("DOMContentLoaded", function () { fillOwn(); followCard(); });

  return { card: card, render: render, OUTCOMES: OUTCOMES };
})();
