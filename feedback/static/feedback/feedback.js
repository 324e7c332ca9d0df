// Ratings and reports from the relic page: sent in the background with a key made on this
// phone, so that a post queued offline by the service worker (/sw.js) is stored only once.
"use strict";
(function () {
  const forms = document.querySelectorAll("form[data-feedback]");
  if (!forms.length) return;

  function newKey() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function say(form, text, ok) {
    const status = form.querySelector(".feedback-status");
    status.textContent = text;
    status.classList.toggle("is-error", !ok);
  }

  function showErrors(form, errors) {
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    Object.keys(errors || {}).forEach((name) => {
      const field = form.querySelector(`[name="${name}"]`);
      if (field) field.setAttribute("aria-invalid", "true");
    });
  }

  forms.forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button[type=submit]");
      const body = new FormData(form);
      body.set("client_key", newKey());
      button.disabled = true;
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body,
          credentials: "same-origin",
          // The service worker keeps posts marked so when there is no network.
          headers: { Accept: "application/json", "X-Queue-Offline": "1" },
        });
        const answer = await response.json().catch(() => ({}));
        if (answer.queued) {
          say(form, form.dataset.queued, true);
          form.reset();
        } else {
          say(form, answer.message || form.dataset.offline, Boolean(answer.ok));
          showErrors(form, answer.errors);
          if (answer.ok) form.reset();
        }
      } catch (e) {
        say(form, form.dataset.offline, false);
      } finally {
        button.disabled = false;
      }
    });
  });

  // Posts kept offline: ask the worker to send them now, and say so when they have gone.
  const sw = navigator.serviceWorker;
  if (!sw) return;
  const flush = () => sw.ready.then((reg) => reg.active && reg.active.postMessage({ type: "flush-posts" }));
  sw.addEventListener("message", (event) => {
    const data = event.data || {};
    if (data.type !== "post-sent") return;
    const form = Array.from(forms).find((f) => f.action === data.url);
    if (form) say(form, data.ok ? form.dataset.sentLater : (data.message || form.dataset.offline), data.ok);
  });
  window.addEventListener("online", flush);
  if (navigator.onLine) flush();
})();
