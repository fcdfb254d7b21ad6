// The report page's step texts (prompt, output, error, changes.patch) and the after steps' box: the
// second half of the page script (html-script.ts), inside its function. Plain ES2017, DOM calls and
// textContent only, no template literals (see html-script.ts).

export const STEPS_SCRIPT = String.raw`
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
`;
