// PLP's service worker (served at /sw.js by plp/pwa.py; scope: the whole site).
// - Static files: from the cache first (they are versioned by name in production).
// - Pages a student opens to work offline (My work, practice, their level): from the network, a copy kept
//   on this device for when the network is gone; any other page offline: the offline page.
// - Logging out deletes the kept pages.
// Practice answers never go through here: offline-practice.js keeps them and sends them with their keys.
"use strict";
const VERSION = "{{ version }}";
const SHELL = "plp-shell-" + VERSION;
const PAGES = "plp-pages-v1";
const SHELL_FILES = {{ shell|safe }};
const KEPT_PAGES = [
  /^\/s\/[^/]+\/agency\/my-work\/$/,
  /^\/s\/[^/]+\/mastery\/competencies\/\d+\/practice\/$/,
  /^\/s\/[^/]+\/agency\/me\/$/,
];

self.addEventListener("install", (event) => {
  // Without cookies: the offline page kept here is nobody's (it must not show whoever was signed in).
  const requests = SHELL_FILES.map((url) => new Request(url, { credentials: "omit" }));
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(requests)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("plp-shell-") && n !== SHELL).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method !== "GET") {
    if (url.pathname === "/accounts/logout/") {
      event.waitUntil(caches.delete(PAGES));
    }
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(SHELL).then((cache) => cache.put(request, copy));
        }
        return response;
      }))
    );
    return;
  }
  if (request.mode === "navigate") {
    const keep = KEPT_PAGES.some((pattern) => pattern.test(url.pathname)) && !url.search;
    event.respondWith(
      fetch(request).then((response) => {
        if (keep && response.ok && !response.redirected) {
          const copy = response.clone();
          caches.open(PAGES).then((cache) => cache.put(request, copy));
        }
        return response;
      }).catch(() => caches.match(request, { ignoreSearch: true }).then((hit) => hit || caches.match("/offline/")))
    );
  }
});
