// A small calendar for the date boxes (input.date-entry): typing 年-月-日 stays the way in, the calendar
// is a help. It opens below the box on a click or tap (typing closes it), moves by month, and writes YYYY-MM-DD; Escape closes.
(function () {
  "use strict";
  var WEEK = ["一", "二", "三", "四", "五", "六", "日"];
  var panel = null;
  var owner = null;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function iso(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function parse(text) {
    var m = /^\s*(\d{4})\s*[-\/.年]\s*(\d{1,2})\s*[-\/.月]\s*(\d{1,2})\s*日?\s*$/.exec(text || "");
    if (!m) { return null; }
    var d = new Date(+m[1], +m[2] - 1, +m[3]);
    return d.getMonth() === +m[2] - 1 ? d : null;
  }
  function close() {
    if (panel) { panel.remove(); panel = null; owner = null; }
  }
  function draw(input, month) {
    close();
    owner = input;
    panel = document.createElement("div");
    panel.className = "calendar";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", "选择日期");
    var head = document.createElement("div");
    head.className = "calendar-head";
    var prev = document.createElement("button");
    prev.type = "button"; prev.textContent = "‹"; prev.setAttribute("aria-label", "上个月");
    var next = document.createElement("button");
    next.type = "button"; next.textContent = "›"; next.setAttribute("aria-label", "下个月");
    var title = document.createElement("span");
    title.textContent = month.getFullYear() + "年" + (month.getMonth() + 1) + "月";
    prev.onclick = function () { draw(input, new Date(month.getFullYear(), month.getMonth() - 1, 1)); };
    next.onclick = function () { draw(input, new Date(month.getFullYear(), month.getMonth() + 1, 1)); };
    head.append(prev, title, next);
    var grid = document.createElement("div");
    grid.className = "calendar-grid";
    WEEK.forEach(function (w) { var s = document.createElement("b"); s.textContent = w; grid.append(s); });
    var first = (new Date(month.getFullYear(), month.getMonth(), 1).getDay() + 6) % 7;
    for (var i = 0; i < first; i++) { grid.append(document.createElement("span")); }
    var days = new Date(month.getFullYear(), month.getMonth() + 1, 0).getDate();
    var chosen = parse(input.value);
    var today = iso(new Date());
    for (var day = 1; day <= days; day++) {
      var b = document.createElement("button");
      b.type = "button";
      var value = iso(new Date(month.getFullYear(), month.getMonth(), day));
      b.textContent = day;
      b.dataset.date = value;
      if (value === today) { b.className = "today"; }
      if (chosen && value === iso(chosen)) { b.setAttribute("aria-pressed", "true"); }
      b.onclick = function (event) {
        input.value = event.currentTarget.dataset.date;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        close();
        input.focus();
      };
      grid.append(b);
    }
    panel.append(head, grid);
    input.insertAdjacentElement("afterend", panel);
  }
  document.addEventListener("click", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input.date-entry") && input !== owner) {
      var d = parse(input.value) || new Date();
      draw(input, new Date(d.getFullYear(), d.getMonth(), 1));
    }
  });
  // Typing is the way in: the calendar steps aside as soon as the user types.
  document.addEventListener("input", function (event) {
    if (panel && event.target === owner) { close(); }
  });
  document.addEventListener("mousedown", function (event) {
    if (panel && !panel.contains(event.target) && event.target !== owner) { close(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel) { var input = owner; close(); if (input) { input.focus(); } }
    if (event.key === "Tab" && panel && event.target === owner) { close(); }
  });
})();
