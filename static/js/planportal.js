// Small progressive enhancements; every page works without this file.
(() => {
  // htmx replaces a row or a follow-up in place. When that takes the focus away (the focused
  // control was swapped out), give it back: to the control with the same id in the new
  // markup, else to the first field of what came in (so a keyboard user who opened a form is
  // in it). Never take the focus from where the user has moved it since.
  let focusedId = null;
  document.addEventListener("htmx:beforeSwap", () => {
    focusedId = document.activeElement && document.activeElement.id;
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    const active = document.activeElement;
    const trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    const userMovedOn = active && active !== document.body && document.contains(active) && active !== trigger;
    if (userMovedOn) return;
    const again = focusedId && document.getElementById(focusedId);
    const first = event.detail.elt.querySelector && event.detail.elt.querySelector("textarea, input:not([type=hidden]), select");
    const target = again || first;
    if (target) target.focus();
  });
})();
