/* The unit picker: typing part of a unit's name asks the server (/hotline/units/?q=) and lists
   the matches, grouped by level and type, as buttons under the field; choosing one fills the
   field with the unit's full name. Without script the <datalist> offers every unit. */
(function () {
  "use strict";
  function picker(input) {
    var list = input.parentNode.querySelector(".unit-matches"), timer = null;
    if (!list) { return; }
    function show(units) {
      list.textContent = "";
      var group = null;
      units.forEach(function (u) {
        if (u.group_label !== group) {
          group = u.group_label;
          var head = document.createElement("li");
          head.className = "unit-group";
          head.textContent = group;
          list.appendChild(head);
        }
        var li = document.createElement("li"), b = document.createElement("button");
        b.type = "button";
        b.className = "unit-match";
        b.textContent = u.name;
        b.addEventListener("click", function () {
          input.value = u.name;
          list.hidden = true;
          list.textContent = "";
          input.focus();
        });
        li.appendChild(b);
        list.appendChild(li);
      });
      list.hidden = units.length === 0;
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (!q) { show([]); return; }
        fetch(input.dataset.unitsUrl + "?q=" + encodeURIComponent(q), {credentials: "same-origin"})
          .then(function (r) { return r.json(); })
          .then(function (d) { show(d.units || []); })
          .catch(function () { show([]); });
      }, 150);
    });
  }
  document.querySelectorAll("input[data-units-url]").forEach(picker);
})();
