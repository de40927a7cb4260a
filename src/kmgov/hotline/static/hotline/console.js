// The operator console's live answer suggestions (hotline/console.html), moved out of the page
// so that a Content-Security-Policy without 'unsafe-inline' holds: while the operator types
// the caller's words into #intake-text, /api/v1/hotline/suggest lists knowledge-base entries in
// #suggestions; picking one puts its id in #entry-id, which the intake answers with.
(function () {
  var box = document.getElementById("intake-text"), out = document.getElementById("suggestions"),
      pick = document.getElementById("entry-id"), timer = null;
  if (!box || !out || !pick) return;
  function show(items) {
    out.textContent = "";
    items.forEach(function (s) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "suggestion govuk-button govuk-button--secondary";
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
