/* storyline: the article reader. Marks every piece of the span the URL points at
   (#span-START-END; a span crossing another is drawn in several pieces), and shows the
   interpretation of a highlight when it gets keyboard focus (hovering shows its title). */
(function () {
  "use strict";
  var text = document.getElementById("article-text");
  if (!text) { return; }
  var quiet = false;

  function markTarget() {
    Array.prototype.forEach.call(text.querySelectorAll(".is-target"), function (el) {
      el.classList.remove("is-target");
    });
    var m = /^#span-(\d+)-(\d+)$/.exec(window.location.hash);
    if (!m) { return; }
    var first = document.getElementById("span-" + m[1] + "-" + m[2]);
    if (!first) { return; }
    Array.prototype.forEach.call(text.querySelectorAll('[data-span="' + m[1] + "-" + m[2] + '"]'), function (el) {
      el.classList.add("is-target");
    });
    if (!first.hasAttribute("tabindex")) { first.setAttribute("tabindex", "-1"); }
    quiet = true; /* focus for screen readers, without covering the evidence with its tooltip */
    first.focus({ preventScroll: true });
    quiet = false;
    first.scrollIntoView({ block: "center" });
  }

  var tip = document.getElementById("tip");
  function showTip(el) {
    var note = el.getAttribute("title");
    if (!tip || !note) { return; }
    tip.textContent = note;
    var rect = el.getBoundingClientRect();
    tip.hidden = false;
    var left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.left = left + "px";
    tip.style.top = (rect.bottom + window.scrollY + 6) + "px";
  }
  text.addEventListener("focusin", function (ev) {
    var el = ev.target.closest(".hl[title]");
    if (el && !quiet) { showTip(el); }
  });
  text.addEventListener("focusout", function () { if (tip) { tip.hidden = true; } });

  window.addEventListener("hashchange", markTarget);
  markTarget();
}());
