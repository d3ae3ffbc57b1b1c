// Practice that survives a flaky connection, and the installable app's service worker.
//
// Every practice answer gets a key (a UUID made here when the student answers). Offline, or when sending
// fails, the answer waits in this browser (localStorage, per signed-in person) and the page goes on with
// the next question of the pack the practice page carried (prompt and choices only: grading happens on the
// server). Back online, each waiting answer is sent to the practice API with its key; the server records a
// key once, so an answer sent twice (a response lost on the way back) is still recorded exactly once.
// Loaded on every page: whichever page is open when the connection returns sends what is waiting.
(function () {
  "use strict";

  var STORE = "plp.practiceQueue.v1";
  var RETRY_MS = 15000;
  var flushing = false;
  var sentSession = { recorded: 0, correct: 0, refused: [] };

  function me() {
    var meta = document.querySelector('meta[name="plp-user"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function readAll() {
    try {
      var all = JSON.parse(window.localStorage.getItem(STORE) || "[]");
      return Array.isArray(all) ? all : [];
    } catch (e) {
      return [];
    }
  }

  function writeAll(all) {
    window.localStorage.setItem(STORE, JSON.stringify(all));
  }

  // Only the signed-in person's answers are ever sent with their session.
  function mine() {
    var who = me();
    return readAll().filter(function (r) { return who && r.user === who; });
  }

  function enqueue(record) {
    var all = readAll();
    if (!all.some(function (r) { return r.client_key === record.client_key; })) {
      all.push(record);
      writeAll(all);
    }
  }

  function drop(key) {
    writeAll(readAll().filter(function (r) { return r.client_key !== key; }));
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function showStatus() {
    var box = document.getElementById("offline-queue");
    if (!box) { return; }
    var waiting = mine().length;
    var parts = [];
    if (waiting) {
      parts.push(plural(waiting, "answer", "answers") + " waiting to be sent" +
        (navigator.onLine ? "." : ": you are offline; they are sent when you are back online."));
    } else if (sentSession.recorded) {
      parts.push("All your answers are sent: " + plural(sentSession.recorded, "answer", "answers") +
        " recorded, " + sentSession.correct + " correct.");
    }
    sentSession.refused.forEach(function (text) { parts.push(text); });
    box.textContent = parts.join(" ");
    box.hidden = parts.length === 0;
    box.classList.toggle("warn", waiting > 0);
  }

  function send(record) {
    var body = { question: record.question, response: record.response, client_key: record.client_key };
    if (record.item) { body.item = record.item; }
    return fetch(record.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    });
  }

  // Send what is waiting, oldest first; stop at the first network failure (the rest waits for later).
  function flush() {
    if (flushing || !navigator.onLine) { showStatus(); return Promise.resolve(); }
    var queue = mine();
    if (!queue.length) { showStatus(); return Promise.resolve(); }
    flushing = true;
    var step = function (i) {
      if (i >= queue.length) { return Promise.resolve(); }
      var record = queue[i];
      return send(record).then(function (response) {
        if (response.ok) {
          return response.json().then(function (answer) {
            drop(record.client_key);
            sentSession.recorded += 1;
            if (answer.is_correct) { sentSession.correct += 1; }
            return step(i + 1);
          });
        }
        if (response.status >= 400 && response.status < 500 && response.status !== 429 && response.status !== 408) {
          // Refused for good (the question was removed, the session ended…): say so, do not retry forever.
          drop(record.client_key);
          sentSession.refused.push("One answer could not be recorded (" + (record.prompt || "a question") + ").");
          return step(i + 1);
        }
        return Promise.resolve(); // the server is busy or down: try again later
      });
    };
    return step(0).catch(function () { /* offline again: the answers keep waiting */ }).then(function () {
      flushing = false;
      showStatus();
    });
  }

  // --- the practice page -------------------------------------------------------------------------------

  function pack() {
    var data = document.getElementById("practice-pack");
    if (!data) { return []; }
    try { return JSON.parse(data.textContent) || []; } catch (e) { return []; }
  }

  var offered = pack();
  var answeredHere = {};

  function answerOf(form) {
    var kind = form.getAttribute("data-question-kind");
    var fields = form.querySelectorAll('[name="answer"]');
    if (kind === "multiple") {
      return Array.prototype.filter.call(fields, function (f) { return f.checked; }).map(function (f) { return f.value; });
    }
    if (kind === "single") {
      var chosen = Array.prototype.filter.call(fields, function (f) { return f.checked; })[0];
      return chosen ? chosen.value : null;
    }
    return fields.length ? fields[0].value : null;
  }

  function isBlank(response) {
    return response === null || (Array.isArray(response) ? response.length === 0 : String(response).trim() === "");
  }

  function recordOf(form) {
    var question = parseInt(form.querySelector('[name="question_id"]').value, 10);
    var item = form.querySelector('[name="item_id"]');
    var key = form.querySelector('[name="client_key"]');
    var legend = form.querySelector("legend");
    return {
      user: me(),
      url: settings().getAttribute("data-answers-url"),
      question: question,
      response: answerOf(form),
      item: item ? parseInt(item.value, 10) || null : null,
      client_key: key.value,
      prompt: legend ? legend.textContent.trim().slice(0, 80) : "",
      queued_at: new Date().toISOString(),
    };
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function settings() {
    return document.getElementById("offline-practice");
  }

  // The next question of the pack as a form like the server's (read by the same submit handler).
  function offlineForm(question) {
    var form = el("form", { method: "post", action: settings().getAttribute("data-practice-url"), class: "question",
      "data-offline-practice": "", "data-question-kind": question.kind });
    form.appendChild(el("input", { type: "hidden", name: "question_id", value: String(question.id) }));
    form.appendChild(el("input", { type: "hidden", name: "client_key", value: newKey() }));
    var item = settings().getAttribute("data-item");
    if (item) { form.appendChild(el("input", { type: "hidden", name: "item_id", value: item })); }
    var fieldset = el("fieldset");
    fieldset.appendChild(el("legend", {}, question.prompt));
    if (question.kind === "single" || question.kind === "multiple") {
      if (question.kind === "multiple") { fieldset.appendChild(el("p", { class: "hint" }, "Choose every correct answer.")); }
      question.choices.forEach(function (choice, i) {
        var label = el("label");
        label.appendChild(el("input", { type: question.kind === "single" ? "radio" : "checkbox", name: "answer", value: String(i) }));
        label.appendChild(document.createTextNode(" " + choice));
        fieldset.appendChild(label);
      });
    } else {
      var label = el("label", {}, "Your answer ");
      var attrs = { type: "text", name: "answer", autocomplete: "off", maxlength: "500" };
      if (question.kind === "numeric") { attrs.inputmode = "decimal"; }
      label.appendChild(el("input", attrs));
      fieldset.appendChild(label);
    }
    form.appendChild(fieldset);
    form.appendChild(el("button", { type: "submit", class: "button" }, "Save my answer"));
    return form;
  }

  function showNextOffline(note) {
    var box = document.getElementById("practice");
    if (!box || !settings()) { return; }
    var next = offered.filter(function (q) { return !answeredHere[q.id]; })[0];
    box.replaceChildren();
    if (note) { box.appendChild(el("p", { class: "notice", role: "status" }, note)); }
    if (next) {
      box.appendChild(offlineForm(next));
      if (window.plpRenderMath) { window.plpRenderMath(box); } // the question's math (static/js/math.js)
      var first = box.querySelector("input:not([type=hidden])");
      if (first) { first.focus(); }
    } else {
      box.appendChild(el("p", { class: "empty" }, "No more questions saved for offline practice: reconnect for more."));
    }
  }

  function queueAndGoOn(form) {
    var record = recordOf(form);
    if (isBlank(record.response)) { return false; }
    enqueue(record);
    answeredHere[record.question] = true;
    showNextOffline("Saved on this device. It is graded and counts once it is sent.");
    showStatus();
    return true;
  }

  // Capture phase: runs before htmx's own handler on the form.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-offline-practice]")) { return; }
    var key = form.querySelector('[name="client_key"]');
    if (key && !form.hasAttribute("data-key-made")) {
      key.value = newKey(); // made when the student answers; the same key on every resend
      form.setAttribute("data-key-made", "");
    }
    var fromPack = !form.hasAttribute("hx-post");
    if (navigator.onLine && !fromPack) { return; } // htmx sends it now, with its key
    event.preventDefault();
    event.stopPropagation();
    if (!queueAndGoOn(form)) {
      var fieldset = form.querySelector("fieldset");
      if (fieldset && !form.querySelector(".field-errors")) {
        fieldset.appendChild(el("p", { class: "field-errors", role: "alert" }, "Answer the question first."));
      }
      return;
    }
    if (navigator.onLine) { flush(); }
  }, true);

  // Offline, "Next question" cannot reach the server: the pack's next question instead.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#practice a[hx-get]");
    if (link && !navigator.onLine) {
      event.preventDefault();
      event.stopPropagation();
      showNextOffline("");
    }
  }, true);

  // Online, but the request got no answer (the connection dropped under it): keep the answer.
  document.addEventListener("htmx:sendError", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.matches && elt.matches("form[data-offline-practice]")) {
      queueAndGoOn(elt);
    } else if (elt && elt.closest && elt.closest("#practice")) {
      showNextOffline("");
    }
  });

  // Back online in the middle of the pack: go on with the server's questions (and their explanations).
  function backOnline() {
    var box = document.getElementById("practice");
    if (!box || !settings() || box.querySelector("[hx-post], [hx-get]")) { return; }
    box.replaceChildren(el("p", { class: "notice", role: "status" }, "You are back online: your answers are being sent."));
    var more = el("p");
    more.appendChild(el("a", { class: "button", href: settings().getAttribute("data-practice-url") }, "Next question"));
    box.appendChild(more);
  }

  window.addEventListener("online", function () { backOnline(); flush(); });
  window.addEventListener("offline", showStatus);
  window.setInterval(function () { if (mine().length) { flush(); } }, RETRY_MS);
  flush();

  // --- the installable app -----------------------------------------------------------------------------
  if ("serviceWorker" in navigator && document.querySelector('link[rel="manifest"]')) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* not essential */ });
  }
})();
