// "Phóng to bản dập": OpenSeadragon (our static copy) and the rubbing's IIIF tiles are fetched
// on the first click only; the rendition above the button stays as the view without JavaScript.
(function () {
  "use strict";

  var loading = null;

  function loadOpenSeadragon(src) {
    if (window.OpenSeadragon) return Promise.resolve();
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () {
        loading = null;
        script.remove();
        reject(new Error("openseadragon"));
      };
      document.head.appendChild(script);
    });
    return loading;
  }

  function loadInfo(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("info.json " + response.status);
      return response.json();
    }).then(function (info) {
      // Tiles sit beside info.json: ask our own host for them whatever host info.json names.
      info.id = new URL(url, window.location.href).href.replace(/\/info\.json$/, "");
      return info;
    });
  }

  function setup(button) {
    var state = { viewer: null, box: null };
    var status = document.createElement("p");
    status.className = "meta rubbing-zoom-status";
    status.setAttribute("role", "status");
    button.insertAdjacentElement("afterend", status);

    function close() {
      if (!state.viewer) return;
      state.viewer.destroy();
      state.box.remove();
      state.viewer = state.box = null;
      button.setAttribute("aria-expanded", "false");
      button.hidden = false;
      button.focus();
    }

    function open() {
      button.disabled = true;
      status.textContent = "";
      Promise.all([loadOpenSeadragon(button.dataset.osdJs), loadInfo(button.dataset.iiifInfo)])
        .then(function (results) {
          var box = document.createElement("div");
          box.className = "rubbing-viewer-box";
          var closer = document.createElement("button");
          closer.type = "button";
          closer.className = "rubbing-viewer-close";
          closer.textContent = button.dataset.labelClose;
          closer.addEventListener("click", close);
          var holder = document.createElement("div");
          holder.className = "rubbing-viewer";
          holder.setAttribute("role", "application");
          holder.setAttribute("aria-label", button.dataset.viewerLabel);
          box.append(closer, holder);
          button.closest(".inscription-images").insertAdjacentElement("afterend", box);
          state.box = box;
          state.viewer = window.OpenSeadragon({
            element: holder,
            tileSources: [results[1]],
            prefixUrl: button.dataset.osdImages,
            drawer: "canvas",
            showNavigator: true,
            navigatorPosition: "BOTTOM_RIGHT",
            visibilityRatio: 1,
            constrainDuringPan: true,
            maxZoomPixelRatio: 2,
            gestureSettingsTouch: { pinchRotate: false, flickEnabled: true },
          });
          window.rubbingViewer = state.viewer; // for tests and the browser console
          holder.addEventListener("keydown", function (event) {
            if (event.key === "Escape") close();
          });
          button.setAttribute("aria-expanded", "true");
          button.hidden = true;
          button.disabled = false;
          // OpenSeadragon's canvas takes focus: arrows pan, + and - zoom, 0 goes back.
          state.viewer.canvas.focus();
        })
        .catch(function () {
          button.disabled = false;
          status.textContent = button.dataset.error;
        });
    }

    button.addEventListener("click", open);
  }

  function init(root) {
    (root || document).querySelectorAll("button[data-iiif-info]").forEach(function (button) {
      if (button.dataset.zoomReady) return;
      button.dataset.zoomReady = "1";
      setup(button);
    });
  }

  // Inscriptions added by "Xem thêm" (site.js) get their zoom button too.
  document.addEventListener("relic:more", function (event) { init(event.target); });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(); });
  } else {
    init();
  }
})();
