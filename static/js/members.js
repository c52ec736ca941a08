/* Membership pages: copy buttons for the payee, account number, amount and payment reference
   (no inline scripts under the CSP). A button carries data-copy="text"; its label says "copied" briefly. */
(function () {
  "use strict";
  function copied(button) {
    var label = button.textContent;
    button.textContent = button.getAttribute("data-copied-text") || label;
    button.classList.add("copy--done");
    window.setTimeout(function () { button.textContent = label; button.classList.remove("copy--done"); }, 1500);
  }
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy]") : null;
    if (!button) { return; }
    event.preventDefault();
    var text = button.getAttribute("data-copy");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { copied(button); }, function () { fallback(text); copied(button); });
    } else {
      fallback(text);
      copied(button);
    }
  });
})();
