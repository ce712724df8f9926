// The header's menu groups are <details>, which open and close with Enter or
// Space without this script. It adds what a menu is expected to do: one group
// open at a time, Escape closes it (focus back on its name), and a click or
// Tab outside it closes it.
(function () {
  "use strict";
  const groups = Array.from(document.querySelectorAll("header details.nav-group"));

  function closeAll(except) {
    for (const group of groups) {
      if (group !== except) group.open = false;
    }
  }

  for (const group of groups) {
    group.addEventListener("toggle", function () {
      if (group.open) closeAll(group);
    });
    group.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && group.open) {
        group.open = false;
        group.querySelector("summary").focus();
      }
    });
    group.addEventListener("focusout", function (event) {
      // Only when focus went somewhere: a click on the menu's text takes it nowhere.
      if (event.relatedTarget && !group.contains(event.relatedTarget)) group.open = false;
    });
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest("header details.nav-group")) closeAll(null);
  });
})();
