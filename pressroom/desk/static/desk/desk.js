// The desk's only script: a live Simplified Chinese preview and Ctrl+S to save.
// Everything works without it (the derived text is also shown after each save).
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function simplify(url, token, text) {
    var body = new URLSearchParams();
    body.set("text", text);
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded" },
      body: body,
    }).then(function (response) { return response.ok ? response.text() : null; });
  }

  function livePreview(form) {
    var derived = form.querySelector("[data-simplified-url]");
    var title = form.querySelector("#id_title_zh");
    var bodyField = form.querySelector("#id_body_zh");
    if (!derived || !title || !bodyField) return;
    var url = derived.getAttribute("data-simplified-url");
    var timer = null;
    function refresh() {
      var token = csrfToken(form);
      simplify(url, token, title.value).then(function (text) {
        if (text !== null) form.querySelector("#derived-title").textContent = text;
      });
      simplify(url, token, bodyField.value).then(function (text) {
        if (text !== null) form.querySelector("#derived-body").textContent = text;
      });
    }
    function later() { clearTimeout(timer); timer = setTimeout(refresh, 300); }
    title.addEventListener("input", later);
    bodyField.addEventListener("input", later);
  }

  function saveShortcut(form) {
    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
        var save = form.querySelector("button[value=save]");
        if (save) { event.preventDefault(); save.click(); }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("compose-form");
    if (!form) return;
    livePreview(form);
    saveShortcut(form);
  });
})();
