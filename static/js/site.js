// Small progressive enhancements; the pages work without JavaScript.
"use strict";
// The page as the server sent it, before any script touches it: kept for offline on a first
// visit, when no service worker was there yet to keep it.
const SERVED_HTML = "<!DOCTYPE html>\n" + document.documentElement.outerHTML;
document.documentElement.classList.add("js");

const PAGES_CACHE = "pages-v1";
const MEDIA_CACHE = "media-v1";

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (m, key) => (key in values ? values[key] : m));
}

function formatNumber(x) {
  const lang = document.documentElement.lang || "vi";
  return new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(x);
}

/* Narration: playback speed buttons. */
function setUpPlayer() {
  const audio = document.querySelector("audio.narration");
  if (!audio) return;
  const buttons = document.querySelectorAll(".speeds button[data-speed]");
  buttons.forEach((button) => {
    button.addEventListener("click", () => {
      audio.playbackRate = parseFloat(button.dataset.speed);
      buttons.forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
    });
  });
}

/* "Listen": the phone's own speech synthesis reads the page in the page's language. */
function setUpSpeech() {
  const button = document.querySelector("button.speak");
  if (!button) return;
  const status = document.querySelector(".speak-status");
  const synth = window.speechSynthesis;
  if (!synth || typeof SpeechSynthesisUtterance === "undefined") {
    button.disabled = true;
    if (status) status.textContent = button.dataset.noVoice;
    return;
  }
  const lang = button.dataset.lang.toLowerCase();
  const label = button.textContent;
  const pickVoice = () => {
    const voices = synth.getVoices();
    const norm = (v) => v.lang.replace("_", "-").toLowerCase();
    return voices.find((v) => norm(v) === lang)
      || voices.find((v) => norm(v).split("-")[0] === lang.split("-")[0]) || null;
  };
  let speaking = false;
  const stop = () => { synth.cancel(); speaking = false; button.textContent = label; };
  button.addEventListener("click", () => {
    if (speaking) { stop(); return; }
    const voice = pickVoice();
    if (!voice && synth.getVoices().length) {
      if (status) status.textContent = button.dataset.noVoice;
      return;
    }
    const article = document.querySelector("article.relic");
    const parts = [...article.querySelectorAll("h1, .summary, .body p, .body li, .body h2, .body h3")]
      .map((el) => el.textContent.trim()).filter(Boolean);
    // Short utterances: some phones stop reading a long one after about fifteen seconds.
    const sentences = parts.join(". ").split(/(?<=[.!?。！？])\s+/).filter((s) => s.trim());
    synth.cancel();
    sentences.forEach((text, i) => {
      const u = new SpeechSynthesisUtterance(text);
      u.lang = button.dataset.lang;
      if (voice) u.voice = voice;
      if (i === sentences.length - 1) u.onend = stop;
      synth.speak(u);
    });
    speaking = true;
    button.textContent = button.dataset.labelStop;
  });
}

/* Relic page: "Xem thêm" adds the next page of inscriptions or artifacts in place (the page
   links beside it work without JavaScript). */
function setUpLoadMore(pager) {
  const button = pager.querySelector("button.load-more");
  if (!button) return;
  const section = pager.closest("section");
  const list = section.querySelector(".artifact-list, .inscription-list");
  const status = pager.querySelector(".load-more-status");
  const label = button.innerHTML;
  button.hidden = false;
  button.addEventListener("click", async () => {
    button.disabled = true;
    button.textContent = button.dataset.loading;
    try {
      const response = await fetch(button.dataset.part, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const part = doc.querySelector("[data-items]");
      if (!part) throw new Error("no items");
      const added = [...part.children].map((item) => document.adoptNode(item));
      list.append(...added);
      const next = doc.querySelector(".list-pager");
      if (next) {
        const fresh = document.adoptNode(next);
        pager.replaceWith(fresh);
        setUpLoadMore(fresh);
      } else {
        pager.remove();
      }
      if (added.length) {
        added[0].tabIndex = -1;
        added[0].focus();
        added.forEach((item) => item.dispatchEvent(new CustomEvent("relic:more", { bubbles: true })));
      }
    } catch (e) {
      button.disabled = false;
      button.innerHTML = label;
      if (status) status.textContent = button.dataset.failed;
    }
  });
}

/* A link to an inscription or artifact that is not on this page of the list (an old link,
   a QR code): ask the server for the page that holds it. */
function findLinkedItem() {
  const id = decodeURIComponent(location.hash.slice(1));
  if (!/^(hien-vat|di-van)-./.test(id) || document.getElementById(id)) return;
  if (!document.querySelector("article.relic") || new URLSearchParams(location.search).has("xem")) return;
  location.replace(`${location.pathname}?xem=${encodeURIComponent(id)}${location.hash}`);
}

/* Offline: register the service worker; keep this page if it was not controlled yet. */
function setUpServiceWorker() {
  if (!("serviceWorker" in navigator) || !window.caches) return;
  const firstVisit = !navigator.serviceWorker.controller;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(() => {
    if (!firstVisit || !document.querySelector("article.relic")) return;
    caches.open(PAGES_CACHE).then((cache) => cache.put(location.href, new Response(
      SERVED_HTML, { headers: { "Content-Type": "text/html; charset=utf-8" } }
    )));
    navigator.serviceWorker.ready.then((reg) => {
      const media = performance.getEntriesByType("resource").map((e) => e.name)
        .filter((u) => u.startsWith(location.origin + "/media/images/"));
      const offline = document.body.dataset.offlineUrl;
      reg.active.postMessage({ type: "keep", urls: offline ? [...media, offline] : media });
    });
  }).catch(() => { /* no service worker: the site still works online */ });
}

/* Plaque codes: tell the service worker which kept page a code opens, so that a plaque scanned
   without signal still opens it. `entries` are [{codes: ["7F3K2", "8G4L3#danh-gia"], urls: {lang: url}}]. */
function rememberCodes(entries) {
  if (!("serviceWorker" in navigator) || !entries.length) return Promise.resolve();
  return navigator.serviceWorker.ready.then((reg) => {
    if (reg.active) reg.active.postMessage({ type: "codes", entries });
  });
}

function rememberThisPage() {
  const box = document.querySelector(".share[data-codes]");
  if (!box || !document.querySelector("article.relic")) return;
  const lang = document.documentElement.lang || "vi";
  rememberCodes([{ codes: box.dataset.codes.split(/\s+/).filter(Boolean), urls: { [lang]: location.pathname } }]);
}

/* "Save the district for offline": show the size first, then fetch with progress. */
function setUpOfflineSave() {
  const box = document.querySelector(".offline-save");
  if (!box || !("serviceWorker" in navigator) || !window.caches) return;
  box.hidden = false;
  const check = box.querySelector(".offline-check");
  const go = box.querySelector(".offline-go");
  const size = box.querySelector(".offline-size");
  const progress = box.querySelector("progress");
  const status = box.querySelector(".offline-status");
  let manifest = null;
  check.addEventListener("click", async () => {
    try {
      manifest = await (await fetch(box.dataset.manifest, { credentials: "same-origin" })).json();
    } catch (e) {
      status.textContent = box.dataset.failed;
      return;
    }
    size.textContent = fill(box.dataset.sizeTemplate, {
      count: manifest.relics.length, size: formatNumber(manifest.bytes.total / 1e6),
    });
    go.hidden = false;
    go.focus();
  });
  go.addEventListener("click", async () => {
    if (!manifest) return;
    go.disabled = true;
    await rememberCodes(manifest.relics.filter((r) => r.codes && r.codes.length)
      .map((r) => ({ codes: r.codes, urls: { ...r.urls, [manifest.language]: r.url } })));
    const items = (manifest.pages || []).map((url) => [PAGES_CACHE, url]);
    manifest.relics.forEach((r) => {
      items.push([PAGES_CACHE, r.url]);
      r.images.forEach((u) => items.push([MEDIA_CACHE, u]));
      r.audio.forEach((u) => items.push([MEDIA_CACHE, u]));
    });
    progress.hidden = false;
    progress.max = items.length;
    let done = 0;
    let failed = 0;
    for (const [name, url] of items) {
      try {
        const cache = await caches.open(name);
        // Listings (relic index, offline map) change: keep today's copy of those.
        if (!(await cache.match(url)) || name === PAGES_CACHE) await cache.add(url);
      } catch (e) { failed += 1; }
      done += 1;
      progress.value = done;
      status.textContent = fill(box.dataset.progressTemplate, { done, total: items.length });
    }
    status.textContent = fill(failed ? box.dataset.partialTemplate : box.dataset.doneTemplate, {
      count: manifest.relics.length, failed,
    });
    go.disabled = false;
  });
}

/* Near me: the location stays on the phone; distances are computed here. */
function distanceM(lat1, lon1, lat2, lon2) {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2
    + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6371000 * Math.asin(Math.sqrt(a));
}

function setUpNearby() {
  const button = document.querySelector("button.locate");
  if (!button) return;
  const status = document.querySelector(".locate-status");
  const list = document.querySelector(".nearby-results");
  const d = button.dataset;
  if (!("geolocation" in navigator)) {
    status.textContent = d.unsupported;
    button.disabled = true;
    return;
  }
  const formatDistance = (m) => (m < 1000 ? `${Math.round(m / 10) * 10} m` : `${formatNumber(m / 1000)} km`);
  const render = (lat, lon, manifest) => {
    const rows = [
      ...manifest.relics.map((x) => ({ ...x, kind: d.relicLabel })),
      ...manifest.places,
    ].filter((x) => x.lat !== null && x.lon !== null)
      .map((x) => ({ ...x, distance: distanceM(lat, lon, x.lat, x.lon) }))
      .sort((a, b) => a.distance - b.distance).slice(0, 20);
    list.replaceChildren(...rows.map((x) => {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = x.url;
      link.textContent = x.title;
      const badge = [];
      if (x.translated === false) {  // a Vietnamese page, not translated into the visitor's language yet
        link.lang = "vi";
        const span = document.createElement("span");
        span.className = "lang-badge";
        span.textContent = d.untranslatedLabel;
        badge.push(" ", span);
      }
      const meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = `${x.kind} · ${formatDistance(x.distance)} · `
        + fill(d.walkTemplate, { minutes: Math.max(1, Math.round((x.distance * 1.25) / 75)) });
      const directions = document.createElement("a");
      directions.className = "directions";
      // A link the visitor chooses to follow: it carries the destination only, never their position.
      directions.href = `https://www.google.com/maps/dir/?api=1&destination=${x.lat},${x.lon}&travelmode=walking`;
      directions.rel = "noopener noreferrer";
      directions.target = "_blank";
      directions.textContent = d.directionsLabel;
      directions.setAttribute("aria-label", fill(d.directionsTemplate, { title: x.title }));
      li.append(link, ...badge, meta, directions);
      return li;
    }));
    status.textContent = rows.length ? fill(d.foundTemplate, { count: rows.length }) : d.none;
  };
  button.addEventListener("click", () => {
    status.textContent = d.locating;
    const manifest = fetch(d.manifest, { credentials: "same-origin" }).then((r) => r.json());
    navigator.geolocation.getCurrentPosition(
      (pos) => manifest.then((m) => render(pos.coords.latitude, pos.coords.longitude, m))
        .catch(() => { status.textContent = d.failed; }),
      (err) => { status.textContent = err.code === 1 ? d.denied : d.unavailable; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
}

/* Share: the phone's share sheet where there is one (Zalo appears there); elsewhere a panel to
   copy the link, with a QR code of the page drawn by this site. */
function setUpShare() {
  const box = document.querySelector(".share");
  if (!box) return;
  const button = box.querySelector(".share-button");
  const panel = box.querySelector(".share-panel");
  const status = box.querySelector(".share-status");
  const input = box.querySelector("#share-link");
  button.hidden = false;
  const data = { title: box.dataset.title, url: box.dataset.url };
  const sheet = typeof navigator.share === "function"
    && (typeof navigator.canShare !== "function" || navigator.canShare(data));
  if (!sheet) {
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", panel.id);
  }
  button.addEventListener("click", async () => {
    if (sheet) {
      try {
        await navigator.share(data);
        return;
      } catch (e) {
        if (e.name === "AbortError") return; // the visitor closed the sheet
      }
    }
    const open = panel.hidden;
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    const img = panel.querySelector("img[data-src]");
    if (open && img && !img.getAttribute("src")) img.src = img.dataset.src;
    if (open) input.select();
  });
  box.querySelector(".share-copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(data.url);
      status.textContent = box.dataset.copied;
    } catch (e) {
      input.focus();
      input.select();
      status.textContent = box.dataset.copyFailed;
    }
  });
}

setUpPlayer();
setUpSpeech();
findLinkedItem();
document.querySelectorAll(".list-pager").forEach(setUpLoadMore);
setUpServiceWorker();
setUpOfflineSave();
setUpNearby();
setUpShare();
rememberThisPage();
