// The report page's style, inlined into every report.html (src/report/html.ts).

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
td.id a { color: inherit; text-decoration: none; } td.id a:hover { color: var(--accent); text-decoration: underline; }
td.keys { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.step > .head code.cmd { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--bg); border: 1px solid var(--border); border-radius: 4px; padding: 0 6px; max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.badge { display: inline-block; padding: 0 8px; border-radius: 2em; font-size: 12px; font-weight: 500; border: 1px solid transparent; }
.badge.succeeded { color: var(--ok); background: var(--ok-bg); } .badge.failed { color: var(--bad); background: var(--bad-bg); }
.badge.cancelled { color: var(--warn); background: var(--warn-bg); }
.add { color: var(--ok); } .del { color: var(--bad); }
.mark { font-size: 12px; } .mark.m0 { color: var(--accent); } .mark.m1 { color: var(--warn); } .mark.m2 { color: var(--muted); }
.mark.m3 { color: var(--bad); font-weight: 600; } .mark.m4 { color: var(--ok); font-weight: 600; }
.checks { margin: 16px 0; } .checks table { border-collapse: collapse; } .checks th, .checks td { padding: 2px 10px; text-align: left; }
.checks td.num { text-align: right; } .checks td.bad { color: var(--bad); font-weight: 600; } .checks ul { margin: 6px 0; padding-left: 20px; }
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
