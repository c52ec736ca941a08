/* The site shell's only script (CSP: no inline scripts). On phones the header's menu link becomes a
   disclosure button: it toggles `.is-open` on the header and keeps aria-expanded in step. Without this
   script the link still works: it targets the header, and `.site-header:target` opens the menu in CSS. */
(function () {
  "use strict";
  // Wide tables scroll sideways inside .table-wrap: keyboard users must be able to focus the region to scroll it.
  Array.prototype.forEach.call(document.querySelectorAll(".table-wrap, [data-scroll-region]"), function (region) {
    if (region.scrollWidth > region.clientWidth && !region.hasAttribute("tabindex")) { region.tabIndex = 0; }
  });

  var header = document.getElementById("site-header");
  var toggle = header && header.querySelector(".menu-toggle");
  if (!toggle) { return; }
  var close = header.querySelector(".menu-close");
  if (close) { close.hidden = true; }
  toggle.setAttribute("role", "button");
  toggle.setAttribute("aria-controls", "site-tools");

  function setOpen(open) {
    header.classList.toggle("is-open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  setOpen(window.location.hash === "#site-header");
  if (window.location.hash === "#site-header" && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }

  toggle.addEventListener("click", function (event) {
    event.preventDefault();
    setOpen(!header.classList.contains("is-open"));
  });
  toggle.addEventListener("keydown", function (event) {
    if (event.key === " ") { event.preventDefault(); setOpen(!header.classList.contains("is-open")); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("is-open")) {
      setOpen(false);
      toggle.focus();
    }
  });
})();
