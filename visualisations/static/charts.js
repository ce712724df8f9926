/* Draws charts made on the server (visualisations/representation.py,
 * growth.py) with plotly.js. Their strings were escaped on the server; here
 * nothing is written as HTML. The mode bar stays off: its styles would need
 * inline CSS, which the pages' policy refuses, and it offers a link to a
 * site outside the service. */
"use strict";
var Charts = (function () {
  var CONFIG = { displaylogo: false, displayModeBar: false, responsive: true };

  function draw(container, figure) {
    container.dataset.ready = "false";
    return Plotly.react(container, figure.data, figure.layout, CONFIG).then(function () {
      container.dataset.ready = "true";
    });
  }

  return { draw: draw };
})();
