// Follows a training run live on its admin page
// (templates/admin/training/trainingrun/change_form.html) until it ends. A static file: the
// Content-Security-Policy allows no inline script.
(function () {
  const box = document.getElementById("run-live");
  async function poll() {
    const r = await fetch(box.dataset.statusUrl, {credentials: "same-origin"});
    if (!r.ok) return setTimeout(poll, 4000);
    const s = await r.json();
    const pct = Math.round(s.progress * 100);
    document.getElementById("run-status").textContent = s.status;
    document.getElementById("run-progress").value = pct;
    document.getElementById("run-percent").textContent = pct + "%";
    document.getElementById("run-stage").textContent = s.stage;
    document.getElementById("run-log").textContent = s.log.join("\n");
    if (s.final) { window.location.reload(); } else { setTimeout(poll, 1500); }
  }
  setTimeout(poll, 1500);
})();
