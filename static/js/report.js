// The report's review page: while a PDF is being created, say so and keep the button
// from being pressed twice. A file of its own, as the Content-Security-Policy allows no
// inline script.
(function () {
  "use strict";
  var busy = document.getElementById("report-busy");
  if (!busy) { return; }

  function done() {
    busy.textContent = "";
    document.querySelectorAll("[aria-busy=true]").forEach(function (el) {
      el.removeAttribute("aria-busy");
      el.querySelectorAll("button").forEach(function (button) { button.disabled = false; });
    });
  }

  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function () {
      busy.textContent = form.dataset.busy;
      form.setAttribute("aria-busy", "true");
      // Disabled after the submit has started, so the form is still sent.
      setTimeout(function () { form.querySelectorAll("button").forEach(function (b) { b.disabled = true; }); }, 0);
    });
  });

  document.querySelectorAll("a[data-busy]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      var token = Math.random().toString(36).slice(2);
      var url = new URL(link.href);
      url.searchParams.set("download_token", token);
      link.href = url.toString();
      busy.textContent = link.dataset.busy;
      link.setAttribute("aria-busy", "true");
      var timer = setInterval(function () {
        if (document.cookie.indexOf("report_download=" + token) !== -1) { clearInterval(timer); done(); }
      }, 400);
    });
  });

  window.addEventListener("pageshow", done);
})();
