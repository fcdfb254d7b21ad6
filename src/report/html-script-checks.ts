/**
 * The page's checks section (part of the page script, see html-script.ts): each check's pass rate,
 * the results that failed one (each a link that opens the leaf), and against a baseline the
 * checks newly failing and newly passing. Every text is set with textContent.
 */
export const CHECKS_SCRIPT = String.raw`
  function checksBox(c) {
    var box = el('section', 'checks');
    box.appendChild(el('h2', '', 'Checks'));
    var t = el('table', 'checks-table');
    var head = el('tr');
    ['check', 'passed', 'failed', 'pass rate'].forEach(function (h) { head.appendChild(el('th', '', h)); });
    t.appendChild(head);
    c.rates.forEach(function (r) {
      var tr = el('tr');
      var ran = r[1] + r[2];
      tr.appendChild(el('td', '', r[0]));
      tr.appendChild(el('td', 'num', num(r[1])));
      tr.appendChild(el('td', 'num' + (r[2] ? ' bad' : ''), num(r[2])));
      tr.appendChild(el('td', 'num', (ran ? Math.round(100 * r[1] / ran) + ' %' : '\u2014') + (r[3] ? ' (' + num(r[3]) + ' not graded)' : '')));
      t.appendChild(tr);
    });
    box.appendChild(t);
    if (c.failures.length) {
      box.appendChild(el('p', '', num(c.failing_leaves) + ' results failed a check:'));
      var ul = el('ul', 'check-failures');
      c.failures.forEach(function (f) {
        var li = el('li');
        var a = el('a', '', f[0]);
        a.href = '#' + encodeURIComponent(f[1]);
        li.appendChild(a);
        li.appendChild(document.createTextNode(' \u00b7 ' + f[2] + ': ' + f[3]));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    if (c.changes && (c.changes.failing || c.changes.passing)) {
      box.appendChild(el('p', '', 'Compared with the baseline: ' + num(c.changes.failing) + ' newly failing \u00b7 ' + num(c.changes.passing) + ' newly passing'));
      var changes = el('ul', 'check-changes');
      [['newly failing', c.changes.newly_failing], ['newly passing', c.changes.newly_passing]].forEach(function (kind) {
        kind[1].forEach(function (x) { changes.appendChild(el('li', '', kind[0] + ': ' + x[0] + ' \u00b7 ' + x[1] + ': ' + x[2])); });
      });
      box.appendChild(changes);
    }
    return box;
  }
  if (summary.checks) app.insertBefore(checksBox(summary.checks), controls);
`;
