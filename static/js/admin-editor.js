/* Page and snippet editors in the Wagtail admin (heritage_site/wagtail_hooks.py):
 * 1. Draftail's text box gets an accessible name from its field's label, or from the heading of
 *    the StreamField block it sits in, so that screen readers announce which field it is.
 * 2. Once the form is on its way to the server (Lưu nháp, Gửi duyệt, Xuất bản…), autosave stops:
 *    a debounced autosave firing after "Gửi duyệt" reached a page already locked for review and
 *    was refused (400) while the browser had left the page, so nobody saw why. */
(function () {
  "use strict";

  function labelFor(editor) {
    const field = editor.closest("[data-field]");
    const input = field && field.querySelector("input[type=hidden][id]");
    if (input) {
      const label =
        document.getElementById(input.id + "-label") ||
        document.querySelector('label[for="' + CSS.escape(input.id) + '"]');
      if (label) return label;
    }
    const panel = editor.closest(".w-panel");
    return panel && panel.querySelector(".w-panel__heading");
  }

  function nameEditors(root) {
    root.querySelectorAll('.Draftail-Editor [contenteditable="true"][role="textbox"]').forEach(
      function (editor) {
        if (editor.hasAttribute("aria-labelledby") || editor.hasAttribute("aria-label")) return;
        const label = labelFor(editor);
        if (label && label.textContent.trim()) {
          if (!label.id) label.id = "draftail-label-" + Math.random().toString(36).slice(2);
          editor.setAttribute("aria-labelledby", label.id);
        } else {
          editor.setAttribute("aria-label", "Nội dung");
        }
      },
    );
  }

  // Editors appear late (Draftail starts after load, StreamField blocks when added): look again
  // after DOM changes, at most once a frame.
  let pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      nameEditors(document);
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () {
    nameEditors(document);
  });

  // Bubbling phase, after Wagtail's own handlers: only a submission that really goes ahead.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (event.defaultPrevented || !form.matches("[data-controller~='w-autosave']")) return;
    const app = window.wagtail && window.wagtail.app;
    const autosave = app && app.getControllerForElementAndIdentifier(form, "w-autosave");
    if (!autosave) return;
    autosave.activeValue = false;
    if (autosave.submit && autosave.submit.cancel) autosave.submit.cancel();
  });
})();
