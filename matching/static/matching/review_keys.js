// Keys of the rating screen (templates/matching/review.html): 1-5 rate (and go on to the
// next pair), s skips, n goes to the note, Esc leaves it. Keys typed in the note are text,
// not commands. A static file, not an inline script: the Content-Security-Policy allows
// scripts from the site only.
(function () {
  var rateForm = document.getElementById("rate-form");
  var skipForm = document.getElementById("skip-form");
  var note = rateForm.querySelector("textarea");
  var sent = false;  // one submit per screen: a key held down must not rate twice
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    var target = event.target;
    if (target.closest && target.closest("textarea, input, select, [contenteditable]")) {
      if (event.key === "Escape") target.blur();
      return;
    }
    if (sent) return;
    if (/^[1-5]$/.test(event.key)) {
      event.preventDefault();
      sent = true;
      rateForm.querySelector('button[data-key="' + event.key + '"]').click();
    } else if (event.key === "s" || event.key === "S") {
      event.preventDefault();
      sent = true;
      skipForm.submit();
    } else if (event.key === "n" || event.key === "N") {
      event.preventDefault();
      note.focus();
    }
  });
})();
