// Filters and search for the lists of requests. The lists work without this script (there is
// a page per status and per kind); the script only adds the search box and the controls,
// which are hidden in the HTML until it runs. The filter state is kept in the address's
// fragment (#q=…&status=…), so a filtered list can be shared. On a page of one status, one kind
// or the overdue requests, that control starts at the page's own choice, and changing it goes
// to the page of the new choice (the rows of other statuses are not on this page).
(function () {
  'use strict';
  var box = document.getElementById('filters');
  var table = document.getElementById('requests');
  var count = document.getElementById('count');
  if (!box || !table || !count) {
    return;
  }
  var q = document.getElementById('q');
  var status = document.getElementById('f-status');
  var kind = document.getElementById('f-kind');
  var overdue = document.getElementById('f-overdue');
  var sort = document.getElementById('sort');
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
  var total = rows.length;
  var start = {status: status.value, kind: kind.value, overdue: overdue.checked};
  box.hidden = false;

  function readHash() {
    var params = new URLSearchParams(window.location.hash.slice(1));
    q.value = params.get('q') || '';
    status.value = status.hasAttribute('data-page') ? start.status : params.get('status') || '';
    kind.value = kind.hasAttribute('data-page') ? start.kind : params.get('kind') || '';
    overdue.checked = overdue.hasAttribute('data-page') ? start.overdue : params.get('overdue') === '1';
    if (sort) { sort.value = params.get('sort') === 'support' ? 'support' : ''; }
  }

  function writeHash() {
    var params = new URLSearchParams();
    if (q.value) { params.set('q', q.value); }
    if (status.value && !status.hasAttribute('data-page')) { params.set('status', status.value); }
    if (kind.value && !kind.hasAttribute('data-page')) { params.set('kind', kind.value); }
    if (overdue.checked && !overdue.hasAttribute('data-page')) { params.set('overdue', '1'); }
    if (sort && sort.value) { params.set('sort', sort.value); }
    var s = params.toString();
    try {
      window.history.replaceState(null, '', s ? '#' + s : window.location.pathname + window.location.search);
    } catch (e) {
      // Some browsers refuse to rewrite file: addresses; the filters still work.
    }
  }

  // The order: as built (newest first), or by support, most first; ties keep the built order.
  function order() {
    var by = rows.map(function (r, i) { return {r: r, i: i, s: parseInt(r.getAttribute('data-support'), 10) || 0}; });
    if (sort && sort.value === 'support') {
      by.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
    }
    var body = table.tBodies[0];
    by.forEach(function (x) { body.appendChild(x.r); });
  }

  function apply() {
    order();
    var terms = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (r, i) {
      var show = (!status.value || r.getAttribute('data-status') === status.value) &&
        (!kind.value || r.getAttribute('data-kind') === kind.value) &&
        (!overdue.checked || r.getAttribute('data-overdue') === '1') &&
        terms.every(function (t) { return texts[i].indexOf(t) >= 0; });
      r.hidden = !show;
      if (show) { shown++; }
    });
    // Numbers grouped as the pages write them (400,000).
    var fmt = function (n) { return n.toLocaleString('en-US'); };
    count.textContent = shown === total
      ? (total === 1 ? '1 request.' : fmt(total) + ' requests.')
      : 'Showing ' + fmt(shown) + ' of ' + fmt(total) + ' requests.';
  }

  var timer = null;
  function changed() {
    if (timer !== null) { window.clearTimeout(timer); }
    timer = window.setTimeout(function () { timer = null; apply(); writeHash(); }, 80);
  }

  // On the page of a choice, a control goes to the page of its new choice, keeping the search.
  function goOrFilter(control, href) {
    return function () {
      if (!control.hasAttribute('data-page')) { changed(); return; }
      window.location.href = href() + (q.value ? '#' + new URLSearchParams({q: q.value}).toString() : '');
    };
  }
  function selected(sel) { return function () { return sel.options[sel.selectedIndex].getAttribute('data-href'); }; }

  if (sort) { sort.addEventListener('change', changed); }
  q.addEventListener('input', changed);
  status.addEventListener('change', goOrFilter(status, selected(status)));
  kind.addEventListener('change', goOrFilter(kind, selected(kind)));
  overdue.addEventListener('change', goOrFilter(overdue, function () { return overdue.getAttribute('data-href'); }));
  window.addEventListener('hashchange', function () { readHash(); apply(); });
  readHash();
  apply();
}());
