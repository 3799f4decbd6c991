// Filters and search for the lists of requests. The lists work without this script (there is
// a page per status and per kind); the script only adds the search box and the controls,
// which are hidden in the HTML until it runs. The filter state is kept in the address's
// fragment (#q=…&status=…), so a filtered list can be shared. On a page of one status, one kind
// or the overdue requests, that control starts at the page's own choice, and changing it goes
// to the page of the new choice (the rows of other statuses are not on this page).
//
// A list longer than one page (the filter box then carries data-index) searches every request
// of the docket, not only the rows of its page: the first search or filter loads the compact
// index (search-index.js, a script, so that it loads from a site opened from disk too) and
// shows the matching requests in place of the page's rows, at most a page of them; clearing
// the search brings the page's rows and its page links back.
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
  var indexURL = box.getAttribute('data-index');
  var pager = document.getElementById('pager');
  var pageCount = count.textContent;
  var index = null; // the loaded index: {statuses, kinds, rows, texts}
  var loading = false;
  var indexFailed = false; // the index did not load: search the page's own rows, as a short list does
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

  // Numbers grouped as the pages write them (400,000).
  function fmt(n) { return n.toLocaleString('en-US'); }

  function apply() {
    if (indexURL && !indexFailed) { applyIndex(); return; }
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
    count.textContent = shown === total
      ? (total === 1 ? '1 request.' : fmt(total) + ' requests.')
      : 'Showing ' + fmt(shown) + ' of ' + fmt(total) + ' requests.';
    if (indexFailed) {
      count.textContent = 'The search index could not be loaded, so only this page is searched: ' +
        count.textContent + ' The page links below still reach every request.';
    }
  }

  // A paginated list: the page's own rows while nothing is searched or filtered beyond the
  // page's own choice, else the matches from the index.
  function applyIndex() {
    var body = table.tBodies[0];
    var active = q.value.trim() !== '' || (sort && sort.value) ||
      (status.value && !status.hasAttribute('data-page')) ||
      (kind.value && !kind.hasAttribute('data-page')) ||
      (overdue.checked && !overdue.hasAttribute('data-page'));
    if (!active) {
      body.textContent = '';
      rows.forEach(function (r) { r.hidden = false; body.appendChild(r); });
      if (pager) { pager.hidden = false; }
      count.textContent = pageCount;
      return;
    }
    if (!index) { loadIndex(); return; }
    var terms = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var matches = [];
    index.rows.forEach(function (r, i) {
      var st = index.statuses[r[2]][0];
      var kd = r[3] >= 0 ? index.kinds[r[3]][0] : '';
      if ((!status.value || st === status.value) && (!kind.value || kd === kind.value) &&
        (!overdue.checked || r[10]) &&
        terms.every(function (t) { return index.texts[i].indexOf(t) >= 0; })) {
        matches.push(i);
      }
    });
    if (sort && sort.value === 'support') {
      matches.sort(function (a, b) { return Math.max(index.rows[b][11], 0) - Math.max(index.rows[a][11], 0) || a - b; });
    }
    var limit = parseInt(box.getAttribute('data-page-size'), 10) || 500;
    var listed = parseInt(box.getAttribute('data-count'), 10) || 0;
    body.textContent = '';
    matches.slice(0, limit).forEach(function (i) { body.appendChild(rowOf(index.rows[i])); });
    if (pager) { pager.hidden = true; }
    if (matches.length > limit) {
      count.textContent = fmt(matches.length) + ' of ' + fmt(listed) + ' requests match; showing the first ' + fmt(limit) + '. Add words to narrow the search.';
    } else {
      count.textContent = 'Showing ' + fmt(matches.length) + ' of ' + fmt(listed) + ' requests.';
    }
  }

  function loadIndex() {
    if (loading) { return; }
    loading = true;
    count.textContent = 'Loading the search index…';
    var s = document.createElement('script');
    s.src = indexURL;
    s.onload = function () {
      var ix = window.docketIndex;
      if (!ix || !ix.rows) { failed(); return; }
      ix.texts = ix.rows.map(function (r) { return textOf(r, ix).toLowerCase(); });
      index = ix;
      apply();
    };
    s.onerror = failed;
    document.head.appendChild(s);
  }

  // The index did not load (a missing file, a network error): from now on the search and the
  // filters work on this page's own rows, once, without asking for the index again.
  function failed() {
    loading = false;
    indexFailed = true;
    var body = table.tBodies[0];
    body.textContent = '';
    rows.forEach(function (r) { body.appendChild(r); });
    if (pager) { pager.hidden = false; }
    apply();
  }

  function plural(n, one, many) { return n === 1 ? '1 ' + one : fmt(n) + ' ' + many; }
  function days(r) {
    if (r[8] >= 0) { return 'open ' + plural(r[8], 'day', 'days'); }
    if (r[9] >= 0) { return 'decided in ' + plural(r[9], 'day', 'days'); }
    return '—';
  }

  // What a row shows, as text to search, like the rows of the pages.
  function textOf(r, ix) {
    return [r[1], r.length > 12 ? 'proposed on GitHub (#' + r[12] + '), not reviewed yet' : r[0],
      ix.statuses[r[2]][1], r[3] >= 0 ? ix.kinds[r[3]][1] : '—', r[10] ? 'Overdue: ' + r[10] : '', r[4],
      r[5] || (r[6] ? 'before ' + r[6] : '—'), r[7] || '—', days(r)].join(' ');
  }

  function el(name, attrs, children) {
    var e = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function day(d) { return el('time', {datetime: d}, [d]); }

  // The row of an index entry, as list.html writes it.
  function rowOf(r) {
    var root = box.getAttribute('data-root') || '';
    var st = index.statuses[r[2]];
    var tr = el('tr', {'data-status': st[0], 'data-kind': r[3] >= 0 ? index.kinds[r[3]][0] : '', 'data-support': String(r[11])});
    if (r[10]) { tr.setAttribute('data-overdue', '1'); }
    var head;
    if (r.length > 12) {
      head = el('th', {scope: 'row'}, [r[13] ? el('a', {href: r[13]}, [r[1]]) : r[1], ' ',
        el('span', {'class': 'id'}, ['proposed on GitHub (#' + r[12] + '), not reviewed yet'])]);
    } else {
      head = el('th', {scope: 'row'}, [el('a', {href: root + 'requests/' + r[0] + '/index.html'}, [r[1]]), ' ', el('span', {'class': 'id'}, [r[0]])]);
    }
    tr.appendChild(head);
    var stc = el('td', {'data-label': 'Status'}, [el('span', {'class': 'status status-' + st[0]}, [st[1]])]);
    if (r[10]) {
      stc.appendChild(document.createTextNode(' '));
      stc.appendChild(el('span', {'class': 'overdue'}, ['Overdue', el('span', {'class': 'visually-hidden'}, [': ' + r[10]])]));
    }
    tr.appendChild(stc);
    tr.appendChild(el('td', {'data-label': 'Kind'}, [r[3] >= 0 ? index.kinds[r[3]][1] : '—']));
    tr.appendChild(el('td', {'data-label': 'Requester'}, [r[4]]));
    tr.appendChild(el('td', {'data-label': 'Submitted'}, r[5] ? [day(r[5])] : r[6] ? ['before ', day(r[6])] : ['—']));
    tr.appendChild(el('td', {'data-label': 'Decided'}, r[7] ? [day(r[7])] : ['—']));
    tr.appendChild(el('td', {'data-label': 'Days'}, [days(r)]));
    if (sort) {
      tr.appendChild(el('td', {'data-label': 'Support'}, r[11] >= 0
        ? [fmt(r[11]) + ' ', el('span', {'class': 'visually-hidden'}, ['people support it']), el('span', {'aria-hidden': 'true'}, ['👍'])]
        : ['—']));
    }
    return tr;
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
