// Runs in <head>, before the page paints: the saved theme (or the system's) and the "js" class.
(function () {
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");
  try {
    var saved = localStorage.getItem("medbotx-theme");
    if (saved === "light" || saved === "dark") root.dataset.theme = saved;
  } catch (e) { /* storage blocked: follow the system */ }
})();
