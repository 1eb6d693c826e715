/* A scale bar on the map: a round distance (1, 2 or 5 x 10^n km) as long as it is drawn at the map's
   centre, redrawn after every draw, pan and zoom. Dash loads every script in assets/ with the page. */
(function () {
  const EARTH_KM = 6371.0088;
  const MAX_PX = 120;

  function kmBetween(a, b) {  // great-circle distance of two [lon, lat] points
    const rad = Math.PI / 180;
    const dLat = (b[1] - a[1]) * rad, dLon = (b[0] - a[0]) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
    return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function roundDistance(km) {  // the largest 1, 2 or 5 x 10^n not above km
    const power = Math.pow(10, Math.floor(Math.log10(km)));
    return [5, 2, 1].map(f => f * power).find(d => d <= km) || power;
  }

  function draw(gd) {
    const geo = gd._fullLayout && gd._fullLayout.geo;
    const cell = gd.closest('.map-cell');
    if (!geo || !geo._subplot || !geo._subplot.projection || !cell) return;
    const projection = geo._subplot.projection;
    const size = gd._fullLayout._size;
    const x = size.w / 2, y = size.h / 2;
    const left = projection.invert([x - 50, y]), right = projection.invert([x + 50, y]);
    let bar = cell.querySelector('.map-scale');
    if (!left || !right || left.some(isNaN) || right.some(isNaN)) { if (bar) bar.hidden = true; return; }
    const kmPerPx = kmBetween(left, right) / 100;
    const km = roundDistance(kmPerPx * MAX_PX);
    if (!bar) {
      bar = document.createElement('div');
      bar.className = 'map-scale';
      bar.setAttribute('role', 'img');
      cell.appendChild(bar);
    }
    bar.hidden = false;
    bar.style.width = Math.round(km / kmPerPx) + 'px';
    bar.textContent = km >= 1 ? km.toLocaleString('en') + ' km' : Math.round(km * 1000) + ' m';
    bar.setAttribute('aria-label', 'map scale: ' + bar.textContent);
  }

  function attach() {
    const gd = document.querySelector('#map .js-plotly-plot');
    if (gd && gd.on && !gd.__scaleBar) {
      gd.__scaleBar = true;
      gd.on('plotly_afterplot', () => draw(gd));
      gd.on('plotly_relayout', () => draw(gd));
      draw(gd);
    }
  }

  // The graph is created (and re-created) by React after the page loads: look for it when the DOM changes.
  new MutationObserver(attach).observe(document.documentElement, {childList: true, subtree: true});
})();
