/* storyline: the reader's correction forms. Each form becomes one JSON correction
   ({kind, target, value, author, note}) sent to POST /api/corrections; the answer is shown in the
   status line, and after a correction is stored the page reloads to show it marked as corrected. */
(function () {
  "use strict";
  var status = document.getElementById("correction-status");
  var author = document.getElementById("correction-author");
  if (!status || !author || !window.fetch) { return; }

  function say(text, ok) {
    status.textContent = text;
    status.className = "correction-status " + (ok ? "ok" : "failed");
  }

  function span(value) {
    var m = /^(\d+)-(\d+)$/.exec(value || "");
    return m ? { start: Number(m[1]), end: Number(m[2]) } : null;
  }

  function field(form, name) {
    var el = form.elements.namedItem(name);
    return el && el.value ? el.value.trim() : "";
  }

  function build(form) {
    var kind = form.dataset.kind;
    var article = form.dataset.article;
    var body = { kind: kind, author: author.value.trim(), note: field(form, "note") || null };
    if (kind === "speaker") {
      var s = span(field(form, "span"));
      body.target = { article: article, start: s.start, end: s.end };
      var anonymous = field(form, "anonymous");
      var actor = field(form, "actor");
      if (!anonymous && !actor) { throw new Error("Name the actor who said it, or describe the anonymous source."); }
      body.value = anonymous ? { anonymous: anonymous } : { actor: actor };
    } else if (kind === "date") {
      var which = field(form, "target");
      if (which === "published") {
        body.target = { article: article, of: "published" };
      } else {
        var parts = which.split(":");
        var t = span(parts[1]);
        body.target = { article: article, of: parts[0], start: t.start, end: t.end };
      }
      body.value = { date: field(form, "date") };
    } else if (kind === "figure") {
      var f = span(field(form, "span"));
      body.target = { article: article, start: f.start, end: f.end };
      body.value = {};
      ["what", "unit", "value", "value_high"].forEach(function (name) {
        var v = field(form, name);
        if (v) { body.value[name] = v; }
      });
    }
    return body;
  }

  function submit(ev) {
    ev.preventDefault();
    var form = ev.target;
    if (!author.value.trim()) {
      say("Give your name first: every correction records who made it.", false);
      author.focus();
      return;
    }
    var body;
    try { body = build(form); } catch (err) { say(err.message, false); return; }
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say("Saving…", true);
    fetch("/api/corrections", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      button.disabled = false;
      if (result.data && result.data.ok) {
        say("Saved: " + result.data.correction.summary + ". Reloading…", true);
        window.location.reload();
        return;
      }
      var error = result.data && result.data.error;
      var message = error && typeof error === "object" ? error.message : String(error || result.status);
      say("Not saved (" + result.status + "): " + message, false);
    }).catch(function (err) {
      button.disabled = false;
      say("Not saved: " + err, false);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.correction-form"), function (form) {
    form.addEventListener("submit", submit);
  });
}());
