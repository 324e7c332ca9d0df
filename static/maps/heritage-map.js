/* Heritage map layers: markers, popups and tooltips built from data with DOM text nodes, so
   names and other text typed by staff are never read as HTML. */
(function () {
  "use strict";

  var TYPE_MARKS = {
    dinh: "Đ", chua: "C", den: "Đn", mieu: "M", nha_tho_ho: "H",
    cach_mang: "CM", khao_co: "KC", kien_truc: "KT", danh_lam: "DL", khac: "•"
  };
  // Tourism directory categories: eat, stay, visit, local products, services.
  var PLACE_MARKS = {
    restaurant: "🍜", hotel: "🛏", entertainment: "🎡", product: "🎁", service: "ℹ", other: "•"
  };

  function token(value, fallback) {
    return /^[a-z_]{1,30}$/.test(value || "") ? value : fallback;
  }

  function safeUrl(value) {
    // Only paths on our own host: no other origin, no javascript: URLs.
    return typeof value === "string" && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : null;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function popup(item, labels, options) {
    var root = el("div", "hm-popup");
    var thumb = safeUrl(item.thumb);
    if (thumb) {
      var img = el("img", "hm-thumb");
      img.src = thumb;
      img.alt = "";
      img.loading = "lazy";
      img.width = 200;
      img.height = 112;
      root.appendChild(img);
    }
    var name = el("strong", "hm-name", item.name || "");
    // A Vietnamese page on a map in another language: not translated yet, and said so.
    if (item.vi) name.lang = "vi";
    root.appendChild(name);
    if (item.vi && labels.untranslated) root.appendChild(el("span", "hm-lang", labels.untranslated));
    var meta = [labels.rankings[item.rank], labels.types[item.type] || item.typeText, item.ward]
      .filter(function (part) { return part; });
    if (meta.length) root.appendChild(el("div", "hm-meta", meta.join(" · ")));
    var links = el("div", "hm-links");
    [[item.url, labels.page], [item.tour, labels.tour]].forEach(function (pair) {
      var href = safeUrl(pair[0]);
      if (!href) return;
      var a = el("a", null, pair[1]);
      a.href = href;
      if (options.embed) {
        a.target = "_blank";
        a.rel = "noopener";
      }
      links.appendChild(a);
    });
    if (links.childNodes.length) root.appendChild(links);
    return root;
  }

  function marker(item, kind, labels, options) {
    var rank = token(item.rank, "none");
    var type = token(item.type, "khac");
    var span = el("span", null, (kind === "relic" ? TYPE_MARKS : PLACE_MARKS)[type] || "•");
    var holder = el("div");
    holder.appendChild(span);
    var icon = L.divIcon({
      className: "hm-marker hm-" + kind + " hm-rank-" + rank + " hm-type-" + type,
      html: holder.innerHTML,
      iconSize: [24, 24],
      iconAnchor: [12, 12],
      popupAnchor: [0, -12]
    });
    var layer = L.marker([item.lat, item.lon], { icon: icon, title: item.name || "" });
    layer.bindPopup(function () { return popup(item, labels, options); }, { maxWidth: 240 });
    return layer;
  }

  var groups = [];  // kept for tests and for pages that want to open a popup

  function addPoints(group, items, kind, labels, options) {
    // A layer is a sub-group of the one marker cluster (leaflet.featuregroup.subgroup).
    items.forEach(function (item) { group.addLayer(marker(item, kind, labels, options)); });
    groups.push({ kind: kind, group: group, cluster: group.getParentGroup ? group.getParentGroup() : group });
  }

  // Markers from the same-origin GeoJSON feeds, fetched after the page's first paint: the
  // page itself carries no points, so it stays light whatever the size of the district.
  var sources = [];
  var scheduled = false;

  function localPath(url) {
    // Feeds give absolute links on our host; the popup takes paths on our host only.
    if (typeof url !== "string") return null;
    var origin = window.location.origin;
    if (url.indexOf(origin + "/") === 0) url = url.slice(origin.length);
    return safeUrl(url);
  }

  function fromFeature(feature, kind, labels) {
    var p = feature.properties || {};
    var c = feature.geometry && feature.geometry.coordinates;
    if (!c || c.length < 2) return null;
    var typeText = kind === "place"
      ? [p.type_label, p.ocop].filter(function (part) { return part; }).join(" · ")
      : (labels.types[p.type] ? "" : p.type);
    return {
      name: p.name || "", lat: c[1], lon: c[0], rank: p.ranking, type: p.type,
      typeText: typeText || null, ward: p.ward,
      url: localPath(p.url), tour: localPath(p.tour_url), thumb: localPath(p.thumbnail),
      vi: p.translated === false  // listed in Vietnamese: not translated yet
    };
  }

  function fetchFeed(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(url + ": HTTP " + response.status);
        return response.json();
      });
  }

  function notice(map, text) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var box = el("div", "hm-notice leaflet-bar", text);
      box.setAttribute("role", "alert");
      return box;
    };
    control.addTo(map);
  }

  function loadSources() {
    var taken = sources.splice(0);
    Promise.all(taken.map(function (source) {
      return fetchFeed(source.url).then(
        function (doc) { return doc; },
        function (error) { source.error = String(error); return null; }
      );
    })).then(function (docs) {
      var failed = false;
      var bounds = L.latLngBounds([]);
      taken.forEach(function (source, i) {
        if (!docs[i]) { failed = true; return; }
        source.entry.loaded = true;
        if (source.kind === "ward") {
          addWards(source.group, docs[i]);
          if (source.group.getLayers().length) bounds.extend(source.group.getBounds());
          return;
        }
        var markers = (docs[i].features || []).map(function (feature) {
          var item = fromFeature(feature, source.kind, source.labels);
          return item && marker(item, source.kind, source.labels, source.options);
        }).filter(function (layer) { return layer; });
        // One batch per layer: markercluster clusters it in one pass.
        markers.forEach(function (layer) {
          source.group.addLayer(layer);
          bounds.extend(layer.getLatLng());
        });
      });
      var first = taken[0];
      if (first && first.options.fit && bounds.isValid()) {
        first.map.fitBounds(bounds, { maxZoom: 17 });
      }
      if (failed) notice(first.map, first.labels.failed);
      window.HeritageMap.loaded = true;
      document.dispatchEvent(new CustomEvent("heritagemap:loaded"));
    });
  }

  function loadPoints(group, map, url, kind, labels, options) {
    // Called while the map is built; every layer's feed is fetched together after first paint.
    var entry = { kind: kind, group: group, cluster: group.getParentGroup ? group.getParentGroup() : group, loaded: false };
    if (kind !== "ward") groups.push(entry);
    sources.push({ group: group, map: map, url: url, kind: kind, labels: labels, options: options, entry: entry });
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(function () { setTimeout(loadSources, 0); });
  }

  function addWards(group, collection) {
    L.geoJSON(collection, {
      style: function () {
        return { color: "#7a4b12", weight: 2, fillColor: "#e8c98f", fillOpacity: 0.08 };
      },
      onEachFeature: function (feature, layer) {
        var name = feature.properties && feature.properties.name;
        if (name) layer.bindTooltip(el("span", null, name), { sticky: true });
      }
    }).eachLayer(function (layer) { group.addLayer(layer); });
  }

  function legend(map, labels) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = el("div", "hm-legend leaflet-bar");
      Object.keys(labels.rankings).forEach(function (rank) {
        var row = el("div", "hm-legend-row");
        row.appendChild(el("span", "hm-swatch hm-rank-" + token(rank, "none")));
        row.appendChild(document.createTextNode(labels.rankings[rank]));
        box.appendChild(row);
      });
      return box;
    };
    control.addTo(map);
  }

  window.HeritageMap = {
    addPoints: addPoints, loadPoints: loadPoints, addWards: addWards, legend: legend,
    groups: groups, loaded: false
  };
})();
