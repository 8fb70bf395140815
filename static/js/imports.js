// While a file is read or imported, say so and keep the buttons from being pressed twice.
// The forms work the same without this script.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches("form[data-busy]") || (event.submitter && event.submitter.name === "cancel")) {
    return;
  }
  var status = form.querySelector("[data-busy-status]");
  if (status) {
    status.textContent = form.getAttribute("data-busy");
    status.hidden = false;
  }
  // Disable after the browser has collected the form's data, so the pressed button is still sent.
  window.setTimeout(function () {
    form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
  }, 0);
});
