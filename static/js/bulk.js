// The review list: one box ticks every application on the page (shown only with script).
document.addEventListener("DOMContentLoaded", () => {
  const holder = document.querySelector("[data-pick-all]");
  const all = document.getElementById("pick-all");
  if (!holder || !all) return;
  const boxes = () => document.querySelectorAll('input[type="checkbox"][name="ids"]');
  holder.hidden = false;
  all.addEventListener("change", () => {
    for (const box of boxes()) box.checked = all.checked;
  });
});
