// The report page's style and script, inlined into every report.html (src/report/html.ts).
// The script reads the JSON blocks and builds the page with DOM calls and textContent only: no
// text of a run ever becomes markup. It is plain ES2017 in one string; it uses no template
// literals, so it can sit in this one.

export const PAGE_CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --subtle: #f6f8fa; --border: #d1d9e0;
  --accent: #0969da; --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #d1242f; --bad-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5;
  --add-bg: #dafbe1; --del-bg: #ffebe9; --hunk-bg: #ddf4ff; --row-hover: #f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --fg: #f0f6fc; --muted: #9198a1; --bg: #0d1117; --subtle: #151b23; --border: #3d444d;
  --accent: #4493f8; --ok: #3fb950; --ok-bg: #12261e; --bad: #f85149; --bad-bg: #25171c; --warn: #d29922; --warn-bg: #272115;
  --add-bg: #12261e; --del-bg: #25171c; --hunk-bg: #121d2f; --row-hover: #151b23; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 24px 16px 48px; }
h1 { font-size: 20px; font-weight: 600; margin: 0 0 16px; word-break: break-all; }
.totals { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 16px; }
.card { border: 1px solid var(--border); border-radius: 6px; padding: 8px 14px; min-width: 104px; background: var(--subtle); }
.card .n { font-size: 18px; font-weight: 600; }
.card .l { color: var(--muted); font-size: 12px; }
.card.ok .n { color: var(--ok); } .card.bad .n { color: var(--bad); } .card.warn .n { color: var(--warn); }
.controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; }
.seg { display: inline-flex; border: 1px solid var(--border); border-radius: 6px; overflow: hidden; }
.seg button { border: 0; border-right: 1px solid var(--border); background: var(--bg); color: var(--fg); padding: 5px 12px; font: inherit; cursor: pointer; }
.seg button:last-child { border-right: 0; }
.seg button[aria-pressed="true"] { background: var(--accent); color: #fff; }
input[type="search"] { flex: 1; min-width: 200px; padding: 5px 10px; border: 1px solid var(--border); border-radius: 6px; background: var(--bg); color: var(--fg); font: inherit; }
.count { color: var(--muted); font-size: 12px; }
table { width: 100%; border-collapse: separate; border-spacing: 0; border: 1px solid var(--border); border-radius: 6px; table-layout: fixed; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--border); vertical-align: top; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
th { background: var(--subtle); font-weight: 600; font-size: 12px; cursor: pointer; user-select: none; }
th[aria-sort="ascending"]::after { content: " \\25B2"; } th[aria-sort="descending"]::after { content: " \\25BC"; }
tr.leaf { cursor: pointer; } tr.leaf:hover td { background: var(--row-hover); }
tr.leaf.open td { background: var(--subtle); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
td.first { color: var(--muted); }
.badge { display: inline-block; padding: 0 8px; border-radius: 2em; font-size: 12px; font-weight: 500; border: 1px solid transparent; }
.badge.succeeded { color: var(--ok); background: var(--ok-bg); } .badge.failed { color: var(--bad); background: var(--bad-bg); }
.badge.cancelled { color: var(--warn); background: var(--warn-bg); }
.add { color: var(--ok); } .del { color: var(--bad); }
.mark { font-size: 12px; } .mark.m0 { color: var(--accent); } .mark.m1 { color: var(--warn); } .mark.m2 { color: var(--muted); }
.mark.m3 { color: var(--bad); font-weight: 600; } .mark.m4 { color: var(--ok); font-weight: 600; }
td.detail { white-space: normal; padding: 12px 16px 16px; background: var(--bg); }
.step { border: 1px solid var(--border); border-radius: 6px; margin-bottom: 12px; }
.step > .head { background: var(--subtle); padding: 6px 12px; border-bottom: 1px solid var(--border); border-radius: 6px 6px 0 0; display: flex; gap: 12px; flex-wrap: wrap; align-items: center; }
.step > .head .name { font-weight: 600; } .step > .head .meta { color: var(--muted); font-size: 12px; }
details { border-top: 1px solid var(--border); } .step > details:first-of-type { border-top: 0; }
summary { padding: 4px 12px; cursor: pointer; font-size: 12px; font-weight: 600; color: var(--muted); }
pre { margin: 0; padding: 8px 12px; max-height: 480px; overflow: auto; font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-word; }
pre.diff { white-space: pre; } pre.diff span { display: block; padding: 0 4px; }
pre.diff .add { background: var(--add-bg); } pre.diff .del { background: var(--del-bg); }
pre.diff .hunk { background: var(--hunk-bg); color: var(--muted); } pre.diff .meta { font-weight: 600; }
.note { margin: 0 12px 6px; padding: 4px 8px; font-size: 12px; color: var(--warn); background: var(--warn-bg); border-radius: 4px; }
.files { padding: 4px 12px; font-size: 12px; color: var(--muted); }
.more { margin: 12px auto; display: block; padding: 5px 16px; border: 1px solid var(--border); border-radius: 6px; background: var(--subtle); color: var(--fg); font: inherit; cursor: pointer; }
.empty { color: var(--muted); padding: 16px; text-align: center; }
.after { border: 1px solid var(--border); border-radius: 6px; margin-bottom: 16px; }
.after > .head { background: var(--subtle); padding: 8px 14px; border-bottom: 1px solid var(--border); border-radius: 6px 6px 0 0; display: flex; gap: 12px; flex-wrap: wrap; align-items: center; }
.after > .head .name { font-weight: 600; } .after > .head .meta { color: var(--muted); font-size: 12px; }
.after .text { padding: 12px 16px; white-space: pre-wrap; word-break: break-word; max-height: 640px; overflow: auto; }
.after .text.error { color: var(--bad); font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.after > details > .step { margin: 8px 12px; }
`;

export const PAGE_SCRIPT = String.raw`
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
  if (summary.cost_usd !== null) card('cost', '$' + summary.cost_usd.toFixed(4));
  app.appendChild(totals);

  var controls = el('div', 'controls');
  var seg = el('div', 'seg');
  seg.setAttribute('role', 'group');
  seg.setAttribute('aria-label', 'status');
  var segButtons = [];
  [-1, 0, 1, 2].forEach(function (code) {
    var count = code < 0 ? summary.leaves : [summary.succeeded, summary.failed, summary.cancelled][code];
    var b = el('button', '', (code < 0 ? 'all' : STATUS[code]) + ' ' + num(count));
    b.type = 'button';
    b.dataset.status = code < 0 ? 'all' : STATUS[code];
    b.setAttribute('aria-pressed', String(code === state.status));
    b.addEventListener('click', function () {
      state.status = code;
      segButtons.forEach(function (x) { x.setAttribute('aria-pressed', String(x === b)); });
      update();
    });
    segButtons.push(b);
    seg.appendChild(b);
  });
  controls.appendChild(seg);
  if (base) {
    // each leaf compared with the baseline run's leaf of the same keys: l[9] indexes base.marks
    var marks = el('div', 'seg');
    marks.setAttribute('role', 'group');
    marks.setAttribute('aria-label', 'compared with ' + base.run_id);
    marks.title = 'compared with ' + base.run_id;
    var markButtons = [];
    [-1].concat(base.marks.map(function (m, k) { return k; })).forEach(function (code) {
      var total = 0;
      base.counts.forEach(function (n) { total += n; });
      var b = el('button', '', (code < 0 ? 'vs baseline' : base.marks[code]) + ' ' + num(code < 0 ? total : base.counts[code]));
      b.type = 'button';
      b.dataset.mark = code < 0 ? 'all' : base.marks[code];
      b.setAttribute('aria-pressed', String(code === state.mark));
      b.addEventListener('click', function () {
        state.mark = code;
        markButtons.forEach(function (x) { x.setAttribute('aria-pressed', String(x === b)); });
        update();
      });
      markButtons.push(b);
      marks.appendChild(b);
    });
    controls.appendChild(marks);
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
    ['leaf', 0, '28%'], ['keys', 2, '18%'], ['status', 3, '112px'], ['duration', 4, '84px', 'num'],
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
    return l[field];
  }
  function update() {
    var view = [];
    for (var i = 0; i < leaves.length; i++) {
      var l = leaves[i];
      if (state.status >= 0 && l[3] !== state.status) continue;
      if (state.mark >= 0 && l[9] !== state.mark) continue;
      if (state.query) {
        if (hay[i] === undefined) hay[i] = (leafName(l) + '\n' + l[2] + '\n' + l[6] + '\n' + STATUS[l[3]] + (base && l[9] >= 0 ? '\n' + base.marks[l[9]] : '')).toLowerCase();
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
    tr.tabIndex = 0;
    tr.appendChild(el('td', 'id', leafName(l)));
    tr.appendChild(el('td', '', l[2]));
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
      ch.title = l[7][0] + ' files';
      ch.appendChild(el('span', 'add', '+' + l[7][1]));
      ch.appendChild(document.createTextNode(' '));
      ch.appendChild(el('span', 'del', '-' + l[7][2]));
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

  // the order of STEP_FILES in html.ts
  var FILES = ['prompt.txt', 'output.txt', 'final_message.txt', 'error.txt', 'stderr.txt', 'changes.patch'];
  var LABELS = { 'prompt.txt': 'prompt', 'output.txt': 'output', 'final_message.txt': 'final message', 'error.txt': 'error', 'stderr.txt': 'stderr (last lines)', 'changes.patch': 'changes.patch' };
  var OPEN = { 'output.txt': true, 'final_message.txt': true, 'error.txt': true, 'changes.patch': true };
  var steps = {};
  function stepTexts(index) {
    if (!(index in steps)) steps[index] = JSON.parse(document.getElementById('s' + index).textContent);
    return steps[index];
  }
  function detail(l, td) {
    if (l[7]) {
      var files = el('div', 'files', l[7][0] + ' file(s) changed, +' + l[7][1] + ' -' + l[7][2] + ' (' + l[7][3] + ')');
      td.appendChild(files);
    }
    if (base && l[10] >= 0) td.appendChild(beforeBox(l[10]));
    stepBoxes(l[8], td);
  }
  // a changed leaf: the baseline run's output, to read beside this run's (its last step's output below)
  function beforeBox(n) {
    var t = JSON.parse(document.getElementById('b' + n).textContent);
    if (typeof t === 'string') t = [t];
    var box = el('section', 'step before');
    var h = el('div', 'head');
    h.appendChild(el('span', 'name', 'output in ' + base.run_id));
    h.appendChild(el('span', 'meta', 'the baseline; this run\u2019s output is in its last step below'));
    box.appendChild(h);
    if (t.length > 1) box.appendChild(el('div', 'note', 'Showing the first ' + num(t[0].length) + ' characters of ' + num(t[1]) + '.'));
    box.appendChild(el('pre', '', t[0]));
    return box;
  }
  // the after steps, over all results: [status, output, error, tokens, steps]; a text cut short is [text, length]
  function afterBox(a) {
    var box = el('section', 'after');
    box.id = 'after';
    var h = el('div', 'head');
    h.appendChild(el('span', 'name', a[4].map(function (s) { return s[0]; }).join(' \u2192 ') || 'after'));
    h.appendChild(el('span', 'badge ' + STATUS[a[0]], STATUS[a[0]]));
    h.appendChild(el('span', 'meta', 'after steps, over all results' + (a[3] ? ' \u00b7 ' + num(a[3]) + ' tokens' : '')));
    box.appendChild(h);
    var last = a[4].length ? a[4][a[4].length - 1][4] + '/output.txt' : 'after/';
    [[a[2], 'text error'], [a[1], 'text output']].forEach(function (t) {
      if (t[0] === null) return;
      var text = typeof t[0] === 'string' ? [t[0]] : t[0];
      if (text.length > 1) box.appendChild(el('div', 'note', 'Showing the first ' + num(text[0].length) + ' characters of ' + num(text[1]) + ': the full text is ' + last + ' in the run directory.'));
      box.appendChild(el('div', t[1], text[0]));
    });
    if (a[4].length) {
      var d = el('details');
      d.appendChild(el('summary', '', 'after steps (' + a[4].length + '): prompts, outputs, errors'));
      stepBoxes(a[4], d);
      box.appendChild(d);
    }
    return box;
  }
  function stepBoxes(list, into) {
    list.forEach(function (s) {
      var box = el('section', 'step');
      var h = el('div', 'head');
      h.appendChild(el('span', 'name', s[0]));
      h.appendChild(el('span', 'badge ' + STATUS[s[2]], STATUS[s[2]]));
      h.appendChild(el('span', 'meta', s[1] + ' \u00b7 ' + ms(s[3]) + ' \u00b7 ' + s[4]));
      box.appendChild(h);
      var texts = stepTexts(s[5]);
      FILES.forEach(function (file, n) {
        var t = texts[n];
        if (t === null || t === undefined) return;
        if (typeof t === 'string') t = [t];
        if (t[0] === '' && t.length === 1 && file !== 'changes.patch') return;
        var d = el('details');
        d.dataset.file = file;
        d.open = !!OPEN[file] || (file === 'stderr.txt' && s[2] !== 0);
        d.appendChild(el('summary', '', LABELS[file]));
        var where = s[4] + '/' + file;
        if (t[0] === null) {
          d.appendChild(el('div', 'note', 'Left out to keep this report small (' + num(t[1]) + ' bytes): the full text is ' + where + ' in the run directory.'));
        } else {
          if (t.length > 1) {
            var which = file === 'stderr.txt' ? 'last ' : 'first ';
            d.appendChild(el('div', 'note', 'Showing the ' + which + num(t[0].length) + ' characters of ' + num(t[1]) + ' bytes: the full text is ' + where + ' in the run directory.'));
          }
          d.appendChild(file === 'changes.patch' ? diff(t[0]) : el('pre', '', t[0]));
        }
        box.appendChild(d);
      });
      into.appendChild(box);
    });
  }
  function diff(text) {
    var pre = el('pre', 'diff');
    if (text === '') { pre.textContent = '(no changes)'; return pre; }
    var lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    lines.forEach(function (line) {
      var cls = '';
      if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff ') || line.startsWith('index ')) cls = 'meta';
      else if (line.startsWith('+')) cls = 'add';
      else if (line.startsWith('-')) cls = 'del';
      else if (line.startsWith('@@')) cls = 'hunk';
      pre.appendChild(el('span', cls, line === '' ? ' ' : line));
    });
    return pre;
  }

  if (summary.after) afterSlot.appendChild(afterBox(summary.after));
  update();
})();
`;
