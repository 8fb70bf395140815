// Small progressive enhancements; every page works without this file.
(() => {
  // htmx replaces a row or a follow-up in place: give focus back to the control the
  // user was on (same id in the new markup), so keyboard users keep their place.
  let focusedId = null;
  document.addEventListener("htmx:beforeSwap", () => {
    focusedId = document.activeElement && document.activeElement.id;
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    const again = focusedId && document.getElementById(focusedId);
    const first = event.detail.elt.querySelector && event.detail.elt.querySelector("textarea, input:not([type=hidden]), select");
    (again || first || event.detail.elt).focus?.();
  });

  // Forms that take a while say so, and cannot be sent twice.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.dataset || !form.dataset.busy) return;
    form.querySelectorAll("button[type=submit]").forEach((button) => {
      button.disabled = true;
      button.textContent = form.dataset.busy;
    });
    form.setAttribute("aria-busy", "true");
  });
})();
