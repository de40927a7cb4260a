/* The intake form's live answer suggestions (/api/v1/hotline/suggest): picking one sets the
   entry the desk answers with. */
(function () {
  "use strict";
  var box = document.getElementById("intake-text"), out = document.getElementById("suggestions"),
      pick = document.getElementById("entry-id"), timer = null;
  if (!box || !out || !pick) { return; }
  function show(items) {
    out.textContent = "";
    items.forEach(function (s) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "suggestion";
      b.textContent = s.question + "（" + s.org + "）";
      b.addEventListener("click", function () {
        pick.value = s.entry_id;
        out.querySelectorAll("button").forEach(function (x) { x.classList.remove("picked"); });
        b.classList.add("picked");
      });
      out.appendChild(b);
    });
  }
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = box.value.trim();
      if (!q) { show([]); return; }
      fetch("/api/v1/hotline/suggest?q=" + encodeURIComponent(q))
        .then(function (r) { return r.json(); }).then(show).catch(function () {});
    }, 200);
  });
})();
