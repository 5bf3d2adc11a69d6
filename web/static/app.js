// Comfort only: every page works without this file. It copies short URLs
// to the clipboard, asks before a delete, and lets "/" focus the page's
// main field. Served from /static/ under the CSP (no inline script).
"use strict";
(function () {
  var live = document.getElementById("live");
  function say(msg) {
    if (!live) return;
    live.textContent = "";
    // A fresh text node after a tick makes screen readers announce a
    // repeated message too.
    setTimeout(function () { live.textContent = msg; }, 50);
  }

  // Copy buttons start hidden: without script they could do nothing.
  document.querySelectorAll("[data-copy]").forEach(function (b) { b.hidden = false; });

  function fallbackCopy(text) {
    var t = document.createElement("textarea");
    t.value = text;
    t.setAttribute("readonly", "");
    t.className = "visually-hidden";
    document.body.appendChild(t);
    t.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(t);
    return ok;
  }

  function copied(b, ok) {
    var label = b.dataset.label || b.textContent;
    b.dataset.label = label;
    b.textContent = ok ? "Copied" : "Copy failed";
    say(ok ? "Copied " + b.dataset.copy : "Could not copy; select the link and copy it.");
    setTimeout(function () { b.textContent = label; }, 2000);
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-copy]");
    if (!b) return;
    var text = b.dataset.copy;
    // The Clipboard API needs a secure context; plain http falls back.
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { copied(b, true); },
        function () { copied(b, fallbackCopy(text)); });
    } else {
      copied(b, fallbackCopy(text));
    }
  });

  // Forms with data-confirm ask first; the server asks on a page of its
  // own when this script does not run (confirmed stays empty).
  document.addEventListener("submit", function (e) {
    var f = e.target;
    var msg = f.dataset && f.dataset.confirm;
    if (!msg) return;
    if (!window.confirm(msg)) { e.preventDefault(); return; }
    var c = f.querySelector("input[name=confirmed]");
    if (c) c.value = "yes";
  });

  // A form sent back with errors: the first marked field gets the focus
  // (the URL field has it already by autofocus).
  var bad = document.querySelector('[aria-invalid="true"]');
  if (bad && (document.activeElement === document.body || !document.activeElement)) bad.focus();

  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t.closest && t.closest("input, textarea, select, [contenteditable]")) return;
    var field = document.querySelector("[data-slash]");
    if (!field) return;
    e.preventDefault();
    field.focus();
    if (field.select) field.select();
  });
})();
