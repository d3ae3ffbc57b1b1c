// PLP's only script besides htmx. The Content-Security-Policy forbids eval, so htmx's trigger filters
// ([document.visibilityState === 'visible']) cannot run; an element marked data-poll-when-visible instead
// skips its requests while the tab is hidden, and polls again when it is shown.
document.addEventListener("htmx:beforeRequest", function (event) {
  if (document.visibilityState !== "visible" && event.detail.elt.closest("[data-poll-when-visible]")) {
    event.preventDefault();
  }
});
