// While a file is read or imported, say so and keep the button from being pressed twice.
// The forms work the same without this script.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var text = form.getAttribute && form.getAttribute("data-import-busy");
  if (!text) {
    return;
  }
  var status = form.querySelector("[data-busy-status]");
  if (status) {
    status.textContent = text;
    status.hidden = false;
  }
  form.setAttribute("aria-busy", "true");
  // Disable after the browser has collected the form's data; Cancel next to it too.
  var scope = form.closest(".confirm-forms") || form;
  window.setTimeout(function () {
    scope.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
  }, 0);
});
