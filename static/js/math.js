// Math notation: TeX between \( \) (inline) or \[ \] (display), inside elements marked data-math, becomes
// KaTeX (static/vendor/katex, loaded before this file). The server sends the text escaped; KaTeX reads the
// text nodes and builds DOM nodes, its styles set through CSSOM, which the Content-Security-Policy allows
// (no inline script, no style attribute in markup). Dollar signs are not delimiters: "$5 and $7" is money.
(function () {
  "use strict";

  var OPTIONS = {
    delimiters: [
      { left: "\\[", right: "\\]", display: true },
      { left: "\\(", right: "\\)", display: false },
    ],
    // Rendered math is skipped, so rendering the same part twice (a page, then an htmx swap inside it) is harmless.
    ignoredClasses: ["katex", "katex-display"],
    // A typo in TeX stays as the text the author wrote (KaTeX's red error box would need a style attribute).
    throwOnError: true,
    errorCallback: function () {},
    trust: false,
  };

  function render(root) {
    if (!root || typeof window.renderMathInElement !== "function") { return; }
    var parts = [];
    if (root.nodeType === 1 && root.matches("[data-math]")) { parts.push(root); }
    if (root.querySelectorAll) { parts = parts.concat(Array.prototype.slice.call(root.querySelectorAll("[data-math]"))); }
    parts.forEach(function (part) { window.renderMathInElement(part, OPTIONS); });
  }
  // For scripts that build questions themselves (offline practice).
  window.plpRenderMath = render;

  // The authoring preview: what a question's text will look like to a student, as the teacher types it.
  // Text goes in as text (textContent), never as HTML.
  function lines(text) {
    return text.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
  }

  function updatePreview(preview) {
    var form = preview.closest("form");
    if (!form) { return; }
    var value = function (name) { var field = form.elements[name]; return field ? field.value : ""; };
    preview.querySelectorAll("[data-preview-field]").forEach(function (target) {
      var name = target.getAttribute("data-preview-field");
      if (target.tagName === "UL") {
        target.replaceChildren();
        lines(value(name)).forEach(function (line) {
          var item = document.createElement("li");
          var correct = line.charAt(0) === "*";
          item.textContent = correct ? line.slice(1).trim() + " (correct)" : line;
          target.appendChild(item);
        });
      } else {
        target.textContent = value(name);
      }
    });
    if (typeof window.renderMathInElement === "function") { window.renderMathInElement(preview, OPTIONS); }
  }

  function wirePreviews(root) {
    var previews = root.querySelectorAll ? root.querySelectorAll("[data-math-preview]") : [];
    previews.forEach(function (preview) {
      if (preview.dataset.wired) { return; }
      preview.dataset.wired = "1";
      preview.hidden = false;
      var timer = null;
      preview.closest("form").addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { updatePreview(preview); }, 150);
      });
      updatePreview(preview);
    });
  }

  function onLoad(root) {
    wirePreviews(root);
    render(root);
  }

  if (window.htmx) {
    window.htmx.onLoad(onLoad); // the page itself first, then every piece htmx swaps in
  } else {
    document.addEventListener("DOMContentLoaded", function () { onLoad(document.body); });
  }
})();
