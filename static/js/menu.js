// The top menu's groups are <details>: they open by click, tap, Enter or Space without this script.
// It adds what a menu is expected to do: one group open at a time, Escape closes it (focus back on its
// name), and a click elsewhere closes it.
(function () {
  "use strict";
  function groups() { return document.querySelectorAll(".mainnav details.menu"); }
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!opened.matches || !opened.matches(".mainnav details.menu") || !opened.open) { return; }
    groups().forEach(function (other) { if (other !== opened) { other.open = false; } });
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    groups().forEach(function (group) {
      if (group.open) { group.open = false; group.querySelector("summary").focus(); }
    });
  });
  document.addEventListener("click", function (event) {
    groups().forEach(function (group) { if (group.open && !group.contains(event.target)) { group.open = false; } });
  });
})();
