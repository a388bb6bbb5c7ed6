// Shows moments in the reader's own timezone, next to the activity's. Pages read fine without it.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var dateTime = new Intl.DateTimeFormat(undefined, {
      day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    });
    var clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
    document.querySelectorAll('[data-local="note"] time, [data-local="range"] time').forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      el.textContent = el.closest('[data-local="range"]') ? clock.format(when) : dateTime.format(when);
    });
    document.querySelectorAll('[data-local="note"], [data-local="range"], [data-local="zone-header"], [data-local="zone-note"]')
      .forEach(function (el) { el.hidden = false; });
    document.querySelectorAll('[data-local="zone-header"]').forEach(function (el) {
      el.textContent = "Your time (" + zone + ")";
    });
  });
})();
