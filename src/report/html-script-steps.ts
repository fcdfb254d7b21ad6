// The report page's step texts (prompt, output, error, changes.patch) and the after steps' box: the
// second half of the page script (html-script.ts), inside its function. Plain ES2017, DOM calls and
// textContent only, no template literals (see html-script.ts).

export const STEPS_SCRIPT = String.raw`
  // the order of STEP_FILES in html.ts
  var FILES = ['command.txt', 'prompt.txt', 'output.txt', 'final_message.txt', 'error.txt', 'stderr.txt', 'changes.patch'];
  var LABELS = { 'command.txt': 'command', 'prompt.txt': 'prompt', 'output.txt': 'output', 'final_message.txt': 'final message', 'error.txt': 'error', 'stderr.txt': 'stderr (last lines)', 'changes.patch': 'changes.patch' };
  var OPEN = { 'command.txt': true, 'output.txt': true, 'final_message.txt': true, 'error.txt': true, 'changes.patch': true };
  var steps = {};
  function stepTexts(index) {
    if (!(index in steps)) steps[index] = JSON.parse(document.getElementById('s' + index).textContent);
    return steps[index];
  }
  function detail(l, td) {
    if (l[7]) {
      var files = el('div', 'files', num(l[7][0]) + ' file(s) changed, +' + num(l[7][1]) + ' -' + num(l[7][2]) + ' (' + l[7][3] + ')');
      td.appendChild(files);
    }
    if (base && l[10] >= 0) td.appendChild(beforeBox(l[10], currentOutput(l[8])));
    stepBoxes(l[8], td);
  }
  // a changed leaf: the baseline run's output, to read beside this run's (its last step's output below)
  function beforeBox(n, now) {
    var t = JSON.parse(document.getElementById('b' + n).textContent);
    if (typeof t === 'string') t = [t];
    var box = el('section', 'step before');
    var h = el('div', 'head');
    h.appendChild(el('span', 'name', 'output compared with ' + base.run_id));
    h.appendChild(el('span', 'meta', '- lines only in the baseline, + lines only in this run'));
    box.appendChild(h);
    if (t.length > 1 || (now && now.length > 1)) box.appendChild(el('div', 'note', 'The texts are cut (baseline: ' + num(t[0].length) + ' characters shown' + (t.length > 1 ? ' of ' + num(t[1]) : '') + '): lines past the cut are not compared.'));
    var lines = now === null ? null : lineDiff(t[0], now[0]);
    if (lines === null) {
      // no output of this run to compare with, or texts too long to compare line by line
      box.appendChild(el('div', 'note', now === null ? 'This run\u2019s output is not in this report: the baseline\u2019s is below.' : 'Too long to compare line by line: the baseline\u2019s output is below, this run\u2019s in its last step.'));
      box.appendChild(el('pre', 'baseline', t[0]));
      return box;
    }
    var pre = el('pre', 'diff output-diff');
    lines.forEach(function (x) { pre.appendChild(el('span', x[0] === '+' ? 'add' : x[0] === '-' ? 'del' : '', x[0] + ' ' + x[1])); });
    box.appendChild(pre);
    var d = el('details');
    d.appendChild(el('summary', '', 'the baseline\u2019s output as it was'));
    d.appendChild(el('pre', 'baseline', t[0]));
    box.appendChild(d);
    return box;
  }
  // this run's output of a leaf: its last step's final message, else its output ([text] or [text, bytes] when cut)
  function currentOutput(list) {
    if (!list.length) return null;
    var texts = stepTexts(list[list.length - 1][5]);
    var t = texts[FILES.indexOf('final_message.txt')];
    if (t === null || t === undefined) t = texts[FILES.indexOf('output.txt')];
    if (t === null || t === undefined) return null;
    if (typeof t === 'string') t = [t];
    return t[0] === null ? null : t;
  }
  // a line diff by longest common subsequence: [[' ' | '-' | '+', line], ...]; null when too long to compute here
  function lineDiff(a, b) {
    var x = a.split('\n'), y = b.split('\n');
    if (x[x.length - 1] === '' && y[y.length - 1] === '') { x.pop(); y.pop(); }
    var start = 0;
    while (start < x.length && start < y.length && x[start] === y[start]) start++;
    var ex = x.length, ey = y.length;
    while (ex > start && ey > start && x[ex - 1] === y[ey - 1]) { ex--; ey--; }
    var n = ex - start, m = ey - start;
    if (n * m > 4000000) return null;
    var out = [];
    var i, j;
    for (i = 0; i < start; i++) out.push([' ', x[i]]);
    // lengths of the common subsequences of the suffixes, one row per line of x
    var w = m + 1, len = new Uint32Array((n + 1) * w);
    for (i = n - 1; i >= 0; i--)
      for (j = m - 1; j >= 0; j--)
        len[i * w + j] = x[start + i] === y[start + j] ? len[(i + 1) * w + j + 1] + 1 : Math.max(len[(i + 1) * w + j], len[i * w + j + 1]);
    i = 0; j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && x[start + i] === y[start + j]) { out.push([' ', x[start + i]]); i++; j++; }
      // a removed line before the line that replaces it
      else if (i < n && (j === m || len[(i + 1) * w + j] >= len[i * w + j + 1])) { out.push(['-', x[start + i]]); i++; }
      else { out.push(['+', y[start + j]]); j++; }
    }
    for (i = ex; i < x.length; i++) out.push([' ', x[i]]);
    return out;
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
      d.appendChild(el('summary', '', 'after steps (' + num(a[4].length) + '): prompts, outputs, errors'));
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
      var command = texts[0];
      if (command !== null && command !== undefined) {
        var line = (typeof command === 'string' ? command : command[0] || '').split('\n')[0];
        var c = el('code', 'cmd', '$ ' + line);
        c.title = typeof command === 'string' ? command : line;
        h.appendChild(c);
      }
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
`;
