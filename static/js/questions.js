// Shows a conditional question only once the earlier answer it depends on is given.
// Without this script every question shows, each saying when it applies; the server
// drops answers to questions whose condition is not met either way.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var dependent = document.querySelectorAll("[data-shown-when]");
    if (!dependent.length) { return; }
    var form = dependent[0].closest("form");
    function chosen(name) {
      var values = [];
      form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
        if (input.disabled) { return; }
        if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { return; }
        if (input.value) { values.push(input.value); }
      });
      return values;
    }
    function update() {
      dependent.forEach(function (field) {
        var wanted = field.getAttribute("data-shown-values").split(" ");
        var given = chosen(field.getAttribute("data-shown-when"));
        var show = given.some(function (value) { return wanted.indexOf(value) !== -1; });
        field.hidden = !show;
        field.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = !show; });
      });
    }
    form.addEventListener("change", update);
    update();
  });
})();
