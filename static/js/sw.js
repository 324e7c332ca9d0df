/* Service worker: relic pages, their phone-size images, audio and panorama previews keep
   working offline after the first visit. A plaque scanned without signal (/Q/<code>) opens the
   kept relic page in the phone's language; /map/ falls back to the offline map. Served at /sw.js
   by content.views.service_worker, which prepends VERSION, STATIC_URL, MEDIA_URL, PRECACHE and
   LANGUAGES (the site's languages, the default first). */
/* global VERSION, STATIC_URL, MEDIA_URL, PRECACHE, LANGUAGES */
"use strict";

const PAGES = "pages-v1";
const MEDIA = "media-v1";
const STATIC = "static-" + VERSION;
const CODES = "plaque-codes-v1"; // code → the kept page it opens, per language
const NETWORK_WAIT_MS = 6000; // one bar of signal: show the kept copy rather than wait forever

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k.startsWith("static-") && k !== STATIC).map((k) => caches.delete(k))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.urls)) {
    event.waitUntil(keepUrls(data.urls));
  } else if (data.type === "codes" && Array.isArray(data.entries)) {
    event.waitUntil(rememberCodes(data.entries));
  } else if (data.type === "flush-posts") {
    event.waitUntil(flushPosts());
  }
});

async function keepUrls(urls) {
  const media = await caches.open(MEDIA);
  await Promise.all(urls.map(async (url) => {
    if (await media.match(url)) return;
    try {
      const response = await fetch(url);
      if (response.ok && response.status === 200) await media.put(url, response);
    } catch (e) { /* offline: nothing to keep now */ }
  }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method === "POST" && request.headers.get("X-Queue-Offline") === "1"
      && new URL(request.url).origin === self.location.origin) {
    event.respondWith(sendOrQueue(request));
    return;
  }
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/admin/") || url.pathname.startsWith("/documents/")) return;
  const plaque = request.mode === "navigate" && url.pathname.match(/^\/[Qq]\/([^/]*)\/?$/);
  if (plaque) {
    event.respondWith(plaqueScan(event, request, normalizeCode(plaque[1])));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(event, request));
  } else if (url.pathname.startsWith(MEDIA_URL)) {
    event.respondWith(mediaResponse(event, request, url));
  } else if (url.pathname.startsWith(STATIC_URL)) {
    event.respondWith(staleWhileRevalidate(event, request));
  } else if (url.pathname.endsWith("/offline/manifest.json")) {
    event.respondWith(networkFirst(event, request));
  }
});

function languagePrefix(pathname) {
  // Vietnamese, the default, has none; "/di-tich/" is not a language.
  const first = pathname.split("/")[1];
  return first && first !== LANGUAGES[0] && LANGUAGES.includes(first) ? "/" + first : "";
}

// The live map needs its tiles: offline, the offline map stands in rather than a blank one.
const MAP_PAGE = /^(?:\/[a-z]{2}(?:-[a-z]{2,4})?)?\/map\/$/; // with or without a prefix

async function networkFirst(event, request) {
  const cache = await caches.open(PAGES);
  const isMap = request.mode === "navigate" && MAP_PAGE.test(new URL(request.url).pathname);
  const network = fetch(request).then((response) => {
    if (response.ok && !isMap) {
      const copy = response.clone();
      event.waitUntil(cache.put(request, copy));
    }
    return response;
  });
  const cached = await cache.match(request, { ignoreSearch: request.mode !== "navigate", ignoreVary: true });
  if (cached) {
    const timeout = new Promise((resolve) => setTimeout(() => resolve(cached), NETWORK_WAIT_MS));
    return Promise.race([network.catch(() => cached), timeout]);
  }
  try {
    return await network;
  } catch (e) {
    return offlineAnswer(new URL(request.url).pathname);
  }
}

async function keptPage(path) {
  return caches.match(path, { ignoreVary: true });
}

async function offlineAnswer(pathname, prefix = languagePrefix(pathname)) {
  // The map and the old "near me" address have a kept stand-in; anything else, the notice.
  if (MAP_PAGE.test(pathname)) {
    const map = (await keptPage(prefix + "/offline/map/")) || (await keptPage("/offline/map/"));
    if (map) return map;
  } else if (pathname === prefix + "/gan-toi/") {
    return Response.redirect(prefix + "/near-me/", 302);
  }
  return (await keptPage(prefix + "/offline/"))
    || (await keptPage("/offline/"))
    || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
}

/* Plaques. Online, every scan goes to the server (it counts the scan and picks the language),
   and its answer is never kept. Without signal, the kept relic page the code opens. */
function normalizeCode(raw) {
  // As media_pipeline.qr.codes.normalize_code: any case, a trailing slash, no look-alikes.
  const code = String(raw).trim().toUpperCase();
  return /^[2-9A-HJ-NP-Z]{4,10}$/.test(code) ? code : null;
}

function codeKey(code) {
  return "/__plaque-codes/" + code;
}

async function rememberCodes(entries) {
  const cache = await caches.open(CODES);
  for (const entry of entries) {
    const urls = Object.entries((entry && entry.urls) || {})
      .filter(([lang, url]) => LANGUAGES.includes(lang) && typeof url === "string"
        && url.startsWith("/") && !url.startsWith("//"));
    for (const raw of (entry && entry.codes) || []) {
      const [part, fragment] = String(raw).split("#");
      const code = normalizeCode(part);
      if (!code) continue;
      const old = await cache.match(codeKey(code));
      const record = old ? await old.json() : { urls: {} };
      record.fragment = fragment ? "#" + fragment : "";
      urls.forEach(([lang, url]) => { record.urls[lang] = url; });
      await cache.put(codeKey(code), new Response(JSON.stringify(record), {
        headers: { "Content-Type": "application/json" },
      }));
    }
  }
}

function phoneLanguages() {
  // As content.languages.negotiate_language: the full tag first, then the primary subtag.
  const wanted = [];
  for (const tag of (self.navigator.languages || [self.navigator.language || ""])) {
    const low = tag.toLowerCase();
    const found = LANGUAGES.find((c) => c === low)
      || LANGUAGES.find((c) => c.split("-")[0] === low.split("-")[0]);
    if (found && !wanted.includes(found)) wanted.push(found);
  }
  return wanted;
}

async function keptPageForCode(code) {
  const kept = code && await (await caches.open(CODES)).match(codeKey(code));
  if (!kept) return null;
  const record = await kept.json();
  const order = [...phoneLanguages(), LANGUAGES[0], ...Object.keys(record.urls)];
  for (const lang of order) {
    const url = record.urls[lang];
    if (url && await keptPage(url)) return url + (record.fragment || "");
  }
  return null;
}

async function plaqueScan(event, request, code) {
  const network = fetch(request);
  const kept = await keptPageForCode(code);
  if (!kept) {
    try {
      return await network;
    } catch (e) {
      const lang = phoneLanguages()[0] || LANGUAGES[0];
      return offlineAnswer("/", lang === LANGUAGES[0] ? "" : "/" + lang);
    }
  }
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), NETWORK_WAIT_MS));
  const answer = await Promise.race([network.catch(() => null), timeout]);
  if (answer) return answer;
  event.waitUntil(network.catch(() => null)); // a slow network still reaches the counter
  return Response.redirect(kept, 302);
}

async function staleWhileRevalidate(event, request) {
  const cache = await caches.open(STATIC);
  const cached = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
  const network = fetch(request).then((response) => {
    if (response.ok) event.waitUntil(cache.put(request, response.clone()));
    return response;
  });
  if (cached) {
    event.waitUntil(network.catch(() => null));
    return cached;
  }
  return network;
}

function keptForLater(url) {
  // Phone-size renditions, narrations and panorama previews; not every 360° tile.
  const path = url.pathname.slice(MEDIA_URL.length);
  return path.startsWith("images/") || path.startsWith("narrations/") || /preview/.test(path);
}

async function mediaResponse(event, request, url) {
  const cache = await caches.open(MEDIA);
  const range = request.headers.get("range");
  const cached = await cache.match(url.href);
  if (cached) return range ? partial(cached, range) : cached;
  try {
    const response = await fetch(request);
    if (keptForLater(url)) {
      if (response.status === 200) {
        event.waitUntil(cache.put(url.href, response.clone()));
      } else if (response.status === 206) {
        // Audio streams in pieces; keep the whole file for next time, in the background.
        event.waitUntil(keepUrls([url.href]));
      }
    }
    return response;
  } catch (e) {
    const sibling = url.pathname.startsWith(MEDIA_URL + "images/") && await siblingRendition(event, url);
    if (sibling) return sibling;
    throw e;
  }
}

async function siblingRendition(event, url) {
  // Offline, a browser may ask for a larger size than we kept (a sharper screen, a wider
  // window). The page's own srcset lists every size of the same picture: serve one we kept.
  const client = event.clientId && await self.clients.get(event.clientId);
  const page = client && await caches.match(client.url, { ignoreVary: true });
  if (!page) return null;
  const html = await page.text();
  const attrs = /srcset="([^"]*)"/g;
  let m;
  while ((m = attrs.exec(html))) {
    if (!m[1].includes(url.pathname)) continue;
    for (const candidate of m[1].split(",")) {
      const href = new URL(candidate.trim().split(/\s+/)[0], url).href;
      const kept = await caches.match(href, { ignoreVary: true });
      if (kept) return kept;
    }
  }
  return null;
}

async function partial(response, range) {
  const blob = await response.blob();
  const m = /bytes=(\d*)-(\d*)/.exec(range) || [];
  const start = m[1] ? parseInt(m[1], 10) : 0;
  const end = m[2] ? Math.min(parseInt(m[2], 10), blob.size - 1) : blob.size - 1;
  if (start >= blob.size) {
    return new Response(null, { status: 416, headers: { "Content-Range": "bytes */" + blob.size } });
  }
  return new Response(blob.slice(start, end + 1), {
    status: 206,
    headers: {
      "Content-Type": response.headers.get("Content-Type") || "application/octet-stream",
      "Content-Range": `bytes ${start}-${end}/${blob.size}`,
      "Content-Length": String(end - start + 1),
      "Accept-Ranges": "bytes",
    },
  });
}

/* Posts made without network (visitor feedback marks its posts with X-Queue-Offline: 1) are
   kept in IndexedDB and sent when the page says the network is back, or on a background sync.
   Each post carries a key made on the phone, so the server stores a replay only once. */
const POSTS_DB = "offline-posts";
const POSTS = "posts";

function openPosts() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(POSTS_DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(POSTS, { keyPath: "id", autoIncrement: true });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function postsStore(mode, work) {
  const db = await openPosts();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(POSTS, mode);
    const result = work(tx.objectStore(POSTS));
    tx.oncomplete = () => { db.close(); resolve(result.result); };
    tx.onerror = () => { db.close(); reject(tx.error); };
  });
}

async function sendOrQueue(request) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (e) {
    const form = await copy.formData();
    const entries = Array.from(form.entries());
    await postsStore("readwrite", (store) => store.add({ url: copy.url, entries, at: Date.now() }));
    if (self.registration.sync) self.registration.sync.register(POSTS_DB).catch(() => null);
    return new Response(JSON.stringify({ ok: true, queued: true }), {
      status: 202, headers: { "Content-Type": "application/json" },
    });
  }
}

let flushing = null;
function flushPosts() {
  // One flush at a time: two "online" events must not send the same post twice at once.
  if (!flushing) flushing = sendKeptPosts().finally(() => { flushing = null; });
  return flushing;
}

async function sendKeptPosts() {
  const kept = await postsStore("readonly", (store) => store.getAll());
  for (const post of kept || []) {
    const body = new FormData();
    for (const [name, value] of post.entries) body.append(name, value);
    let response;
    try {
      response = await fetch(post.url, {
        method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json" },
      });
    } catch (e) {
      return; // still offline: keep the rest for next time
    }
    // The server answered (stored, already stored, or refused with a reason): done with it.
    await postsStore("readwrite", (store) => store.delete(post.id));
    const answer = await response.json().catch(() => ({}));
    const clients = await self.clients.matchAll({ type: "window" });
    clients.forEach((client) => client.postMessage({
      type: "post-sent", url: post.url, ok: Boolean(answer.ok), message: answer.message || "",
    }));
  }
}

self.addEventListener("sync", (event) => {
  if (event.tag === POSTS_DB) event.waitUntil(flushPosts());
});
