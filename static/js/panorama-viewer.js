// Opens the 360° viewer when a visitor asks for it: Pannellum (our static copy) is fetched on the
// first click only, so a relic page costs a phone no viewer bytes until then.
(function () {
  "use strict";

  var loading = null;

  function loadPannellum(tour) {
    if (window.pannellum) return Promise.resolve();
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = tour.dataset.pannellumCss;
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = tour.dataset.pannellumJs;
      script.onload = resolve;
      script.onerror = function () {
        loading = null;
        script.remove();
        reject(new Error("pannellum"));
      };
      document.head.appendChild(script);
    });
    return loading;
  }

  // For staff placing hotspots: a click shows the pitch and yaw to type into the admin form.
  function showCoordinates(viewer, holder, template) {
    var box = document.createElement("output");
    box.className = "pano-coords";
    holder.parentNode.appendChild(box);
    holder.addEventListener("pointerup", function (event) {
      var coords = viewer.mouseEventToCoords(event);
      box.textContent = template
        .replace("%p", coords[0].toFixed(1))
        .replace("%y", coords[1].toFixed(1));
    });
  }

  function setup(tour) {
    var config = JSON.parse(document.getElementById(tour.dataset.panoTour).textContent);
    var state = { viewer: null, stage: null, saved: null };

    function labelFor(sceneId) {
      var scene = config.scenes[sceneId];
      return tour.dataset.label.replace("%s", scene ? scene.title : "");
    }

    function close() {
      if (!state.viewer) return;
      state.viewer.destroy();
      state.stage.replaceChildren.apply(state.stage, state.saved);
      state.stage.classList.remove("pano-open-stage");
      state.viewer = state.stage = state.saved = null;
    }

    function open(sceneId, stage) {
      var button = stage.querySelector("[data-pano-open]");
      button.disabled = true;
      loadPannellum(tour).then(function () {
        var holder = document.createElement("div");
        holder.className = "pano-viewer";
        holder.setAttribute("role", "application");
        holder.setAttribute("aria-label", labelFor(sceneId));
        state.saved = Array.prototype.slice.call(stage.childNodes);
        stage.replaceChildren(holder);
        stage.classList.add("pano-open-stage");
        var tourConfig = JSON.parse(JSON.stringify(config));
        tourConfig["default"].firstScene = sceneId;
        state.viewer = window.pannellum.viewer(holder, tourConfig);
        state.stage = stage;
        state.viewer.on("scenechange", function (id) {
          holder.setAttribute("aria-label", labelFor(id));
        });
        window.panoramaViewer = state.viewer; // for tests and the browser console
        if (tour.dataset.coords) showCoordinates(state.viewer, holder, tour.dataset.coords);
        holder.focus();
        button.disabled = false;
      }, function () {
        button.disabled = false;
        stage.classList.add("pano-error");
      });
    }

    tour.addEventListener("click", function (event) {
      var trigger = event.target.closest("[data-pano-open]");
      if (!trigger) return;
      var sceneId = trigger.dataset.panoOpen;
      var ownStage = trigger.closest(".pano-stage");
      if (ownStage && state.viewer) close(); // another panorama's "Xem 360°": one viewer at a time
      if (state.viewer) {
        // A scene link in a hotspot list moves within the open viewer.
        state.viewer.loadScene(sceneId);
        return;
      }
      var figure = document.getElementById("anh-360-" + sceneId.slice(1)) || trigger.closest(".pano");
      open(sceneId, ownStage || figure.querySelector(".pano-stage"));
    });
  }

  document.querySelectorAll("[data-pano-tour]").forEach(setup);
})();
