// Updates the scoring progress panel (templates/matching/_scoring_progress.html) every few
// seconds until the work is done. A static file: the Content-Security-Policy allows no
// inline script.
(function () {
  var panel = document.getElementById("scoring-progress");
  if (!panel || !window.fetch) return;
  function poll() {
    fetch(panel.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) return;
        panel.querySelector(".progress-resumes").textContent =
          p.resumes_done + " of " + p.resumes_total + " resumes scored";
        panel.querySelector(".progress-pairs").textContent =
          p.pairs_done + " of " + p.pairs_total + " pairs";
        panel.querySelector("progress").value = p.percent;
        if (p.pending) { setTimeout(poll, 3000); }
        else { panel.querySelector("strong").textContent = "Scoring done:"; }
      })
      .catch(function () { setTimeout(poll, 10000); });
  }
  setTimeout(poll, 3000);
})();
