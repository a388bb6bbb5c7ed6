// The decision email's preview, kept up to date while staff type. Without this script the
// "Preview the email" button asks the server for the same preview by submitting the form.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-live-preview]");
    var target = document.getElementById("email-preview");
    if (!form || !target || !window.fetch || !window.DOMParser) return;
    var timer = null;
    var asked = 0;
    function refresh() {
      var data = new FormData(form);
      data.set("previewed", "1");
      var mine = ++asked;
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null || mine !== asked) return;  // an older answer, or a refusal
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.getElementById("email-preview");
          if (fresh) target.innerHTML = fresh.innerHTML;
        })
        .catch(function () { /* offline: the button still works */ });
    }
    form.addEventListener("input", function (event) {
      if (!event.target.matches("input[name=subject], textarea[name=body]")) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    });
    refresh();
  });
})();
