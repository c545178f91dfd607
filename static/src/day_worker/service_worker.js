// @odoo-module ignore
/* eslint-disable no-restricted-globals */
// The service worker of the technician's day (served at /service_order/day/sw.js with its
// scope, /service_order/day/, beside Odoo's own /web/service-worker.js scoped to /odoo).
// It keeps what the day page needs to open without network:
//   - the page itself: from the network when there is one (and kept), else as kept;
//   - its asset bundle and icons (their URLs change with their content): kept once fetched;
//   - the orders' issued PDF versions (a version never changes): kept once fetched.
// The data of the day is not here: the page keeps it in IndexedDB. Logging out deletes
// these caches (the signed-out page).

const SCOPE = new URL(self.registration.scope).pathname; // "/service_order/day/"
const SHELL = "so-day-shell";
const DOCS = "so-day-docs";
const PAGE_TIMEOUT = 6000; // a network that answers nothing is no network

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function timeout(ms) {
    return new Promise((resolve, reject) => setTimeout(() => reject(new Error("timeout")), ms));
}

async function page(request) {
    try {
        const response = await Promise.race([fetch(request), timeout(PAGE_TIMEOUT)]);
        if (response.ok && response.type === "basic" && !response.redirected) {
            await (await caches.open(SHELL)).put(SCOPE, response.clone());
        }
        return response; // a redirection to the login page goes through as it is
    } catch (error) {
        // (looked up without opening the cache: signed out, there is none to make again)
        const kept = await caches.match(SCOPE, { cacheName: SHELL });
        if (kept) {
            return kept;
        }
        throw error;
    }
}

async function keptFirst(request, cacheName) {
    const cache = await caches.open(cacheName);
    const kept = await cache.match(request, { ignoreVary: true });
    if (kept) {
        return kept;
    }
    const response = await fetch(request);
    if (response.ok && response.type === "basic") {
        await cache.put(request, response.clone());
    }
    return response;
}

self.addEventListener("fetch", (event) => {
    const request = event.request;
    if (request.method !== "GET") {
        return; // the sync, the pack and the uploads go to the server, or fail offline
    }
    const url = new URL(request.url);
    if (url.origin !== self.location.origin) {
        return;
    }
    if (request.mode === "navigate") {
        if (url.pathname === SCOPE) {
            event.respondWith(page(request));
        }
        return;
    }
    if (url.pathname.startsWith("/web/assets/") || url.pathname.startsWith("/service_order/static/src/img/")
            || url.pathname === `${SCOPE}manifest.webmanifest`) {
        event.respondWith(keptFirst(request, SHELL));
    } else if (url.pathname.startsWith(`${SCOPE}document/`)) {
        event.respondWith(keptFirst(request, DOCS));
    }
});
