/* Countdown of public notices: updates the server-rendered remaining time every 30 seconds. */
(function () {
  "use strict";
  function render(el) {
    var end = Date.parse(el.getAttribute("data-countdown"));
    if (isNaN(end)) { return false; }
    var left = Math.floor((end - Date.now()) / 60000);
    if (left <= 0) {
      el.textContent = el.getAttribute("data-ended-text");
      el.classList.add("countdown--ended");
      return false;
    }
    var text = el.getAttribute("data-template")
      .replace("%(d)s", String(Math.floor(left / 1440)))
      .replace("%(h)s", String(Math.floor((left % 1440) / 60)))
      .replace("%(m)s", String(left % 60));
    if (el.textContent !== text) { el.textContent = text; }
    return true;
  }
  function tick() {
    var nodes = document.querySelectorAll("[data-countdown]");
    var any = false;
    for (var i = 0; i < nodes.length; i++) { any = render(nodes[i]) || any; }
    return any;
  }
  if (tick()) {
    var timer = window.setInterval(function () { if (!tick()) { window.clearInterval(timer); } }, 30000);
  }
})();
