/* The Explore and My network pages: a map from /api/map (or a person's own),
 * search by name, filters, and a person's card. Every string from the
 * service is set as text, never as HTML. */
"use strict";
(function () {
  var container = document.getElementById("map");
  var form = document.getElementById("filters");
  var ego = document.getElementById("ego");
  var card = document.getElementById("card");
  var network = null;

  var getJson = GraphMap.getJson;

  function showCard(id) {
    getJson("/api/people/" + encodeURIComponent(id)).then(function (p) {
      card.replaceChildren(GraphMap.text("h2", p.name));
      var dl = document.createElement("dl");
      function row(label, value) {
        if (!value) return;
        dl.appendChild(GraphMap.text("dt", label));
        dl.appendChild(GraphMap.text("dd", value));
      }
      row("Organisation", p.organisation && p.organisation.name);
      row("Job", p.job_title);
      row("Place", p.place && p.place.name);
      row("Region", p.region);
      row("Sector", p.sector);
      row("Interests", p.interests.map(function (t) { return t.name; }).join(", "));
      row("Cells", p.cells.map(function (c) { return c.name; }).join(", "));
      row("Email", p.email);
      card.appendChild(dl);
      if (network && network.body.data.nodes.get(id)) {
        network.selectNodes([id]);
        network.focus(id, { scale: 1.2, animation: false });
      }
    }).catch(function (e) { card.replaceChildren(GraphMap.text("p", "Could not open the card: " + e.message)); });
  }

  function drawFrom(url) {
    var status = document.getElementById("map-status");
    if (status) status.textContent = "Loading the map…";
    container.dataset.ready = "false";
    getJson(url).then(function (data) {
      if (network) network.destroy();
      network = GraphMap.draw(container, data, {
        onSelect: function (id, node) {
          if (node && node.constellation && form) {
            form.elements.constellation.value = node.constellation;
            redraw();
          } else if (id.indexOf("person:") === 0) {
            showCard(id);
          }
        },
      });
    }).catch(function (e) { if (status) status.textContent = "Could not load the map: " + e.message; });
  }

  function redraw() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) {
      if (s.value) params.set(s.name, s.value);
    });
    drawFrom("/api/map?" + params.toString());
  }

  if (ego) {
    drawFrom("/api/people/" + encodeURIComponent(ego.dataset.person) + "/map");
    return;
  }

  var results = document.getElementById("results");
  var pending = null;
  document.getElementById("q").addEventListener("input", function (event) {
    clearTimeout(pending);
    var words = event.target.value.trim();
    pending = setTimeout(function () {
      if (!words) { results.replaceChildren(); return; }
      getJson("/api/people?limit=20&q=" + encodeURIComponent(words)).then(function (page) {
        results.replaceChildren();
        page.items.forEach(function (p) {
          var li = document.createElement("li");
          var button = GraphMap.text("button", p.name);
          button.type = "button";
          button.addEventListener("click", function () { showCard(p.id); });
          li.appendChild(button);
          results.appendChild(li);
        });
        if (!page.items.length) results.appendChild(GraphMap.text("li", "No one found"));
      });
    }, 200);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) {
    s.addEventListener("change", redraw);
  });
  redraw();
})();
