// The report page's script, inlined into every report.html (src/report/html.ts).
// The script reads the JSON blocks and builds the page with DOM calls and textContent only: no
// text of a run ever becomes markup. It is plain ES2017 in strings; it uses no template literals,
// so it can sit in them. The step texts' half is in html-script-steps.ts.

import { CHECKS_SCRIPT } from './html-script-checks.js';
import { STEPS_SCRIPT } from './html-script-steps.js';

const TABLE_SCRIPT = String.raw`
(function () {
  'use strict';
  var STATUS = ['succeeded', 'failed', 'cancelled'];
  var PAGE = 200;
  var summary = JSON.parse(document.getElementById('summary').textContent);
  var leaves = JSON.parse(document.getElementById('leaves').textContent);
  var app = document.getElementById('app');
  var state = { status: -1, mark: -1, query: '', sort: -1, dir: 1, shown: 0, view: [] };
  var base = summary.baseline;
  var hay = [];
  // per key name, the directory every row's path starts with: the keys column shows what follows it
  var shared = {};
  leaves.forEach(function (l) {
    for (var k = 0; k + 1 < l[2].length; k += 2) {
      var name = l[2][k], path = l[2][k + 1];
      if (!(name in shared)) { shared[name] = path; continue; }
      var p = shared[name], n = 0;
      while (n < p.length && n < path.length && p.charCodeAt(n) === path.charCodeAt(n)) n++;
      shared[name] = p.slice(0, n);
    }
  });
  Object.keys(shared).forEach(function (name) { shared[name] = shared[name].slice(0, shared[name].lastIndexOf('/') + 1); });
  var keyNames = Object.keys(shared);
  function keyCell(l) {
    var parts = [];
    for (var k = 0; k + 1 < l[2].length; k += 2) {
      var name = l[2][k], path = l[2][k + 1], cut = shared[name] || '';
      var rest = middle(cut && path.indexOf(cut) === 0 ? '\u2026/' + path.slice(cut.length) : path, 48);
      parts.push(keyNames.length > 1 ? name + ': ' + rest : rest);
    }
    return parts.join('  ');
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function num(n) { return Number(n).toLocaleString('en-US'); }
  function ms(n) {
    if (n === null || n === undefined) return '';
    if (n < 1000) return n + ' ms';
    var s = n / 1000;
    if (s < 60) return s.toFixed(1) + ' s';
    var m = Math.floor(s / 60);
    if (m < 60) return m + ' min ' + Math.round(s - m * 60) + ' s';
    return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }
  function leafName(l) { return l[1] ? l[0] + ' [' + l[1] + ']' : l[0]; }
  // the leaf's address in the URL: #flow_0003, #flow_0004.2 for a branch
  function anchor(l) { return l[1] ? l[0] + '.' + l[1] : l[0]; }
  // l[2] is [name, path, name, path, ...]
  function keyText(l) {
    var parts = [];
    for (var k = 0; k + 1 < l[2].length; k += 2) parts.push(l[2][k] + '=' + l[2][k + 1]);
    return parts.join(' ');
  }
  function money(usd) {
    return '$' + Number(usd).toLocaleString('en-US', usd < 1 ? { minimumFractionDigits: 4, maximumFractionDigits: 4 } : { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  // at most max characters: the start and the end, an ellipsis between (a path's end tells rows apart)
  function middle(text, max) {
    var chars = Array.from(text);
    if (chars.length <= max) return text;
    var tail = Math.ceil((max - 1) * 0.6);
    return chars.slice(0, max - 1 - tail).join('') + '\u2026' + chars.slice(chars.length - tail).join('');
  }

  document.title = summary.title;
  app.appendChild(el('h1', '', summary.title));
  // filled once the step renderers below are defined
  var afterSlot = el('div');
  app.appendChild(afterSlot);
  var totals = el('div', 'totals');
  function card(label, value, cls) {
    var c = el('div', 'card' + (cls ? ' ' + cls : ''));
    c.appendChild(el('div', 'n', value));
    c.appendChild(el('div', 'l', label));
    totals.appendChild(c);
  }
  card('flows', num(summary.flows));
  if (summary.leaves !== summary.flows) card('results', num(summary.leaves));
  card('succeeded', num(summary.succeeded), 'ok');
  card('failed', num(summary.failed), summary.failed ? 'bad' : '');
  card('cancelled', num(summary.cancelled), summary.cancelled ? 'warn' : '');
  card('tokens (in / out)', num(summary.tokens) + ' (' + num(summary.input_tokens) + ' / ' + num(summary.output_tokens) + ')');
  if (summary.duration_ms !== null) card('duration', ms(summary.duration_ms));
  // nothing priced (no model step, or a model without a price): a dash, not $0
  var priced = summary.cost_usd !== null && (summary.cost_usd > 0 || summary.tokens > 0);
  card('cost', priced ? money(summary.cost_usd) : '\u2014');
  app.appendChild(totals);

  // a group of toggle buttons, one pressed: option o shows o.text, sets state[key] to o.code when
  // picked and carries o.value as data-<key> (what the reset below looks for)
  function segGroup(label, key, options) {
    var group = el('div', 'seg');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', label);
    var buttons = [];
    options.forEach(function (o) {
      var b = el('button', '', o.text);
      b.type = 'button';
      b.dataset[key] = o.value;
      b.setAttribute('aria-pressed', String(o.code === state[key]));
      b.addEventListener('click', function () {
        state[key] = o.code;
        buttons.forEach(function (x) { x.setAttribute('aria-pressed', String(x === b)); });
        update();
      });
      buttons.push(b);
      group.appendChild(b);
    });
    return { group: group, buttons: buttons };
  }

  var controls = el('div', 'controls');
  var statuses = segGroup('status', 'status', [-1, 0, 1, 2].map(function (code) {
    var count = code < 0 ? summary.leaves : [summary.succeeded, summary.failed, summary.cancelled][code];
    var name = code < 0 ? 'all' : STATUS[code];
    return { text: name + ' ' + num(count), value: name, code: code };
  }));
  var segButtons = statuses.buttons;
  controls.appendChild(statuses.group);
  if (base) {
    // each leaf compared with the baseline run's leaf of the same keys: l[9] indexes base.marks
    var total = 0;
    base.counts.forEach(function (n) { total += n; });
    var compared = segGroup('compared with ' + base.run_id, 'mark', [-1].concat(base.marks.map(function (m, k) { return k; })).map(function (code) {
      var name = code < 0 ? 'all' : base.marks[code];
      return { text: (code < 0 ? 'vs baseline' : name) + ' ' + num(code < 0 ? total : base.counts[code]), value: name, code: code };
    }));
    var markButtons = compared.buttons;
    compared.group.title = 'compared with ' + base.run_id;
    controls.appendChild(compared.group);
    var extra = [];
    if (base.gone) extra.push(num(base.gone) + ' baseline results not in this run');
    if (base.not_compared) extra.push(num(base.not_compared) + ' not started (not compared)');
    var against = el('span', 'count', 'compared with ' + base.run_id + (extra.length ? ' \u00b7 ' + extra.join(' \u00b7 ') : ''));
    against.id = 'baseline';
    controls.appendChild(against);
  }
  var search = el('input');
  search.type = 'search';
  search.placeholder = 'Filter by id, keys or output';
  search.setAttribute('aria-label', 'filter');
  var timer = 0;
  search.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.query = search.value.trim().toLowerCase(); update(); }, 120);
  });
  controls.appendChild(search);
  var count = el('span', 'count');
  controls.appendChild(count);
  app.appendChild(controls);

  var COLS = [
    ['leaf', 0, '16%'], [keyNames.length === 1 ? keyNames[0] : 'keys', 2, '26%'], ['status', 3, '112px'], ['duration', 4, '84px', 'num'],
    ['tokens', 5, '84px', 'num'], ['changes', 7, '96px', 'num'], ['output or error', 6, '']
  ];
  if (base) COLS.splice(3, 0, ['vs baseline', 9, '116px']);
  var table = el('table');
  var colgroup = el('colgroup');
  var head = el('tr');
  var ths = [];
  COLS.forEach(function (c, i) {
    var col = el('col');
    if (c[2]) col.style.width = c[2];
    colgroup.appendChild(col);
    var th = el('th', c[3] || '', c[0]);
    th.addEventListener('click', function () {
      state.dir = state.sort === i ? -state.dir : 1;
      state.sort = i;
      ths.forEach(function (t) { t.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', state.dir > 0 ? 'ascending' : 'descending');
      update();
    });
    ths.push(th);
    head.appendChild(th);
  });
  var thead = el('thead');
  thead.appendChild(head);
  table.appendChild(colgroup);
  table.appendChild(thead);
  var tbody = el('tbody');
  table.appendChild(tbody);
  app.appendChild(table);
  var more = el('button', 'more', 'Show more');
  more.type = 'button';
  more.addEventListener('click', function () { page(); });
  app.appendChild(more);

  var collator = new Intl.Collator('en', { numeric: true });
  function sortValue(l, field) {
    if (field === 7) return l[7] ? l[7][1] + l[7][2] : -1;
    if (field === 0) return leafName(l);
    if (field === 2) return keyText(l);
    return l[field];
  }
  function update() {
    var view = [];
    for (var i = 0; i < leaves.length; i++) {
      var l = leaves[i];
      if (state.status >= 0 && l[3] !== state.status) continue;
      if (state.mark >= 0 && l[9] !== state.mark) continue;
      if (state.query) {
        if (hay[i] === undefined) hay[i] = (leafName(l) + '\n' + keyText(l) + '\n' + l[6] + '\n' + STATUS[l[3]] + (base && l[9] >= 0 ? '\n' + base.marks[l[9]] : '')).toLowerCase();
        if (hay[i].indexOf(state.query) < 0) continue;
      }
      view.push(i);
    }
    if (state.sort >= 0) {
      var field = COLS[state.sort][1];
      view.sort(function (a, b) {
        var x = sortValue(leaves[a], field), y = sortValue(leaves[b], field);
        var d = typeof x === 'string' ? collator.compare(x, y) : x - y;
        return d !== 0 ? d * state.dir : a - b;
      });
    }
    state.view = view;
    state.shown = 0;
    tbody.textContent = '';
    if (view.length === 0) {
      var tr = el('tr');
      var td = el('td', 'empty', 'No leaf matches.');
      td.colSpan = COLS.length;
      tr.appendChild(td);
      tbody.appendChild(tr);
    }
    page();
  }
  function page() {
    var end = Math.min(state.view.length, state.shown + PAGE);
    var fragment = document.createDocumentFragment();
    for (var i = state.shown; i < end; i++) fragment.appendChild(row(state.view[i]));
    tbody.appendChild(fragment);
    state.shown = end;
    count.textContent = 'showing ' + num(end) + ' of ' + num(state.view.length) + (state.view.length !== leaves.length ? ' (' + num(leaves.length) + ' in all)' : '');
    more.hidden = end >= state.view.length;
    more.textContent = 'Show ' + num(Math.min(PAGE, state.view.length - end)) + ' more';
  }
  function row(i) {
    var l = leaves[i];
    var tr = el('tr', 'leaf');
    tr.dataset.id = leafName(l);
    tr.dataset.status = STATUS[l[3]];
    tr.id = anchor(l);
    tr.tabIndex = 0;
    var idCell = el('td', 'id');
    var link = el('a', '', leafName(l));
    link.href = '#' + anchor(l);
    link.title = 'link to this leaf';
    // the row's click opens it and sets the URL; the link is there to copy
    link.addEventListener('click', function (e) { e.preventDefault(); });
    idCell.appendChild(link);
    tr.appendChild(idCell);
    var keys = el('td', 'keys', keyCell(l));
    keys.title = keyText(l);
    tr.appendChild(keys);
    var st = el('td');
    st.appendChild(el('span', 'badge ' + STATUS[l[3]], STATUS[l[3]]));
    tr.appendChild(st);
    if (base) {
      var mk = el('td');
      if (l[9] >= 0) {
        tr.dataset.mark = base.marks[l[9]];
        mk.appendChild(el('span', 'mark m' + l[9], base.marks[l[9]]));
      }
      tr.appendChild(mk);
    }
    tr.appendChild(el('td', 'num', ms(l[4])));
    tr.appendChild(el('td', 'num', num(l[5])));
    var ch = el('td', 'num');
    if (l[7]) {
      ch.title = num(l[7][0]) + ' files';
      ch.appendChild(el('span', 'add', '+' + num(l[7][1])));
      ch.appendChild(document.createTextNode(' '));
      ch.appendChild(el('span', 'del', '-' + num(l[7][2])));
    }
    tr.appendChild(ch);
    var first = el('td', 'first', l[6]);
    first.title = l[6];
    tr.appendChild(first);
    function toggle() {
      var next = tr.nextSibling;
      if (next && next.classList.contains('detail-row')) {
        next.remove();
        tr.classList.remove('open');
        return;
      }
      tr.classList.add('open');
      if (location.hash !== '#' + anchor(l)) history.replaceState(null, '', '#' + anchor(l));
      var d = el('tr', 'detail-row');
      var td = el('td', 'detail');
      td.colSpan = COLS.length;
      detail(l, td);
      d.appendChild(td);
      tr.after(d);
    }
    tr.addEventListener('click', toggle);
    tr.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
    return tr;
  }
`;

const START_SCRIPT = String.raw`
  // #flow_0003 opens that leaf (shown whatever the filters, the pages before it rendered)
  function openAnchor() {
    var name = decodeURIComponent(location.hash.slice(1));
    if (!name) return;
    var at = -1;
    for (var i = 0; i < leaves.length; i++) if (anchor(leaves[i]) === name) { at = i; break; }
    if (at < 0) return;
    var pos = state.view.indexOf(at);
    if (pos < 0) {
      state.status = -1; state.mark = -1; state.query = ''; search.value = '';
      segButtons.forEach(function (x) { x.setAttribute('aria-pressed', String(x.dataset.status === 'all')); });
      if (base) markButtons.forEach(function (x) { x.setAttribute('aria-pressed', String(x.dataset.mark === 'all')); });
      update();
      pos = state.view.indexOf(at);
    }
    while (state.shown <= pos) page();
    var tr = document.getElementById(name);
    if (!tr) return;
    if (!tr.classList.contains('open')) tr.click();
    tr.scrollIntoView({ block: 'start' });
  }

  if (summary.after) afterSlot.appendChild(afterBox(summary.after));
  update();
  openAnchor();
  window.addEventListener('hashchange', openAnchor);
})();
`;

/** The page script: the totals, the controls and the table of leaves, then the step texts and the checks, then the start. */
export const PAGE_SCRIPT = TABLE_SCRIPT + STEPS_SCRIPT + CHECKS_SCRIPT + START_SCRIPT;
