/* Draws charts made on the server (visualisations/representation.py,
 * growth.py) with plotly.js. Their strings were escaped on the server; here
 * nothing is written as HTML. The mode bar offers only downloads, as PNG
 * and as SVG, made in the browser: no plotly logo (a link off the service),
 * no editing tools. plotly.js writes the mode bar's styles through the
 * CSSOM into the one empty style element the pages' policy allows. */
"use strict";
var Charts = (function () {
  var SVG_ICON = {
    width: 1000,
    height: 1000,
    path: "M450 100 H550 V500 H700 L500 720 L300 500 H450 Z M150 800 H850 V900 H150 Z",
    transform: "matrix(1 0 0 1 0 0)",
  };

  function config(filename) {
    var name = filename || "chart";
    return {
      displaylogo: false,
      displayModeBar: true,
      responsive: true,
      toImageButtonOptions: { format: "png", filename: name, scale: 2 },
      modeBarButtons: [[
        "toImage",
        {
          name: "downloadSvg",
          title: "Download as SVG",
          icon: SVG_ICON,
          click: function (gd) { Plotly.downloadImage(gd, { format: "svg", filename: name }); },
        },
      ]],
    };
  }

  function draw(container, figure, filename) {
    container.dataset.ready = "false";
    return Plotly.react(container, figure.data, figure.layout, config(filename)).then(function () {
      container.dataset.ready = "true";
    });
  }

  // Redraws a chart at a fixed width (for print), or back to its box (null).
  function fit(container, width) {
    var update = width ? { autosize: false, width: width } : { autosize: true, width: null };
    return Plotly.relayout(container, update);
  }

  return { draw: draw, fit: fit };
})();
