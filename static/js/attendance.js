// Attendance in the room: one tap marks a participant, saved at once, without reloading the page.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var count = document.getElementById("head-count");
    document.querySelectorAll("form.mark-form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var row = form.closest(".person");
        var button = form.querySelector("button");
        var wanted = form.querySelector('input[name="present"]').value === "1" ? "present" : "absent";
        var previous = row.getAttribute("data-state");
        setState(row, wanted);
        row.setAttribute("aria-busy", "true");
        fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: { "Accept": "application/json" },
          credentials: "same-origin"
        }).then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        }).then(function (answer) {
          row.removeAttribute("aria-busy");
          if (count) { count.textContent = answer.head_count + " of " + document.querySelectorAll(".person").length + " present"; }
        }).catch(function () {
          row.removeAttribute("aria-busy");
          setState(row, previous);
          if (count) { count.textContent = "Not saved: check the connection and tap again."; }
          button.focus();
        });
      });
    });
  });
  function setState(row, state) {
    row.setAttribute("data-state", state);
    row.querySelectorAll("button.mark").forEach(function (b) {
      b.setAttribute("aria-pressed", b.classList.contains(state) ? "true" : "false");
    });
  }
})();
