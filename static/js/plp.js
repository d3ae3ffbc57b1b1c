// PLP's only script besides htmx. The Content-Security-Policy forbids eval, so htmx's trigger filters
// ([document.visibilityState === 'visible']) cannot run; an element marked data-poll-when-visible instead
// skips its requests while the tab is hidden, and polls again when it is shown.
document.addEventListener("htmx:beforeRequest", function (event) {
  if (document.visibilityState !== "visible" && event.detail.elt.closest("[data-poll-when-visible]")) {
    event.preventDefault();
  }
});

// A page's own polling is not the person's activity: the idle sign-out (accounts/middleware.py) does not count
// a request marked X-PLP-Poll, so a dashboard left open does not keep its teacher signed in.
document.addEventListener("htmx:configRequest", function (event) {
  if (event.detail.elt.closest("[data-poll-when-visible]")) {
    event.detail.headers["X-PLP-Poll"] = "1";
  }
});
