// Small behaviours htmx cannot express: the theme toggle, the sidebar on phones, Enter to send,
// and keeping the composer disabled while a reply streams. Everything works without this file.
(function () {
  "use strict";
  // Sentences in the page's language, from the body's data-text-* attributes (base.html).
  function text(name) { return document.body.getAttribute("data-text-" + name) || ""; }
  var root = document.documentElement;

  // Theme: dark unless the system prefers light; the toggle overrides and is remembered.
  var toggle = document.getElementById("theme-toggle");
  function currentTheme() {
    if (root.dataset.theme) return root.dataset.theme;
    return window.matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark";
  }
  function showTheme() {
    var light = currentTheme() === "light";
    toggle.setAttribute("aria-pressed", light ? "true" : "false");
  }
  if (toggle) {
    toggle.hidden = false;
    showTheme();
    toggle.addEventListener("click", function () {
      root.dataset.theme = currentTheme() === "light" ? "dark" : "light";
      try { localStorage.setItem("medbotx-theme", root.dataset.theme); } catch (e) { /* not remembered */ }
      showTheme();
    });
  }

  // Sidebar: collapsed on narrow screens behind the "Chats" button.
  var sidebarToggle = document.getElementById("sidebar-toggle");
  var sidebar = document.getElementById("sidebar");
  if (sidebarToggle && sidebar) {
    sidebarToggle.hidden = false;
    var topbar = document.querySelector(".topbar");
    var setDrawer = function (open) {
      if (open && topbar) sidebar.style.top = topbar.offsetHeight + "px"; // under the header, which stays usable
      sidebar.classList.toggle("open", open);
      document.body.classList.toggle("drawer-open", open);
      sidebarToggle.setAttribute("aria-expanded", open ? "true" : "false");
    };
    sidebarToggle.addEventListener("click", function () {
      var open = !sidebar.classList.contains("open");
      setDrawer(open);
      if (open) { var first = sidebar.querySelector("a, button"); if (first) first.focus(); }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && sidebar.classList.contains("open")) {
        setDrawer(false);
        sidebarToggle.focus();
        event.stopImmediatePropagation();
      }
    });
    document.addEventListener("click", function (event) {
      if (sidebar.classList.contains("open") && !sidebar.contains(event.target) && !sidebarToggle.contains(event.target)) {
        setDrawer(false);
      }
    });
  }

  // Composer: Enter sends, Shift+Enter adds a line; disabled while a reply is being written.
  var composer = document.getElementById("composer");
  var input = document.getElementById("message");
  var messages = document.getElementById("messages");
  function streaming() { return !!(messages && messages.querySelector("[sse-connect]")); }
  // Stop, where Send was while an answer is written (and Esc): submits the answer's own Stop form.
  var stopButton = document.getElementById("composer-stop");
  function stopAnswer() {
    var form = messages && messages.querySelector("[sse-connect] form.stop");
    if (form) form.requestSubmit();
    return !!form;
  }
  if (stopButton) stopButton.addEventListener("click", stopAnswer);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && streaming() && stopAnswer()) event.preventDefault();
  });
  var wasBusy = false;
  function update() {
    if (!composer) return;
    var busy = streaming();
    input.disabled = busy;
    composer.querySelector("button[type=submit]").disabled = busy;
    composer.classList.toggle("busy", busy);
    if (stopButton) stopButton.hidden = !busy;
    // When a reply finishes, the question box is ready for the next question (focus had nowhere to be
    // while it was disabled). Never on page load: the first Tab belongs to the skip link.
    if (wasBusy && !busy && (document.activeElement === document.body || document.activeElement === null)) {
      input.focus();
    }
    wasBusy = busy;
  }
  if (composer && input) {
    var hint = document.getElementById("composer-hint");
    if (hint) hint.hidden = false; // only true with this script running
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        if (input.value.trim() && !input.disabled) composer.requestSubmit();
      }
    });
    // Sent: the box is emptied. A refusal (422, 429) is swapped in as "successful" too, into the error line
    // under the box: the typed text then stays, to be sent again.
    composer.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.successful && event.detail.xhr.status < 300 && event.detail.elt === composer) {
        input.value = "";
        document.getElementById("composer-error").textContent = "";
        var welcome = document.getElementById("welcome");
        if (welcome) welcome.remove();
      }
    });
    document.body.addEventListener("htmx:afterSettle", update);
    document.body.addEventListener("htmx:sseClose", function () { window.setTimeout(update, 0); });
    update();
  }

  // Keep the newest message in view as the reply grows.
  if (messages) {
    document.body.addEventListener("htmx:sseMessage", function () {
      window.scrollTo({ top: document.body.scrollHeight });
    });
    // An emergency or crisis answer arrives whole: bring its card into view at once, above the question box,
    // and give it focus so a screen reader reads it (its role="alert" announces it too).
    var shown = {};
    messages.querySelectorAll(".emergency-card").forEach(function (card) { shown[card.id] = true; });
    document.body.addEventListener("htmx:afterSettle", function () {
      messages.querySelectorAll(".emergency-card").forEach(function (card) {
        if (shown[card.id]) return;
        shown[card.id] = true;
        card.scrollIntoView({ block: "start" });
        card.focus({ preventScroll: true });
      });
    });
    // A page opened on an answer (#safety-...) stays there; otherwise it opens at the newest message.
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target) {
      target.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    } else {
      window.scrollTo({ top: document.body.scrollHeight });
    }
  }

  // A failed request (the network, a server error): say so next to the composer.
  document.body.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("composer-error");
    if (box) box.textContent = text("failed").replace("%(status)s", event.detail.xhr.status);
  });
  document.body.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("composer-error");
    if (box) box.textContent = text("offline");
  });

  // Copy an answer's text (the button shows only where the clipboard can be written).
  if (navigator.clipboard && window.isSecureContext) {
    var showCopy = function (root) {
      root.querySelectorAll("button.copy[hidden]").forEach(function (b) { b.hidden = false; });
    };
    showCopy(document);
    document.body.addEventListener("htmx:load", function (event) { showCopy(event.target); });
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button.copy");
      if (!button) return;
      var body = document.querySelector("#" + button.dataset.copy + " .markdown");
      if (!body) return;
      navigator.clipboard.writeText(body.innerText.trim()).then(function () {
        var label = button.firstChild.textContent;
        button.firstChild.textContent = text("copied");
        setTimeout(function () { button.firstChild.textContent = label; }, 2000);
      });
    });
  }
})();
