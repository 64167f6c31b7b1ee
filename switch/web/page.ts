// The web view: one page, no build step. It asks /ui/api for data and draws tables and an SVG chart;
// action buttons exist only for the finance role (and the API refuses them to anyone else anyway).
export const PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Agora — scheme view</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
[hidden]{display:none!important}
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d3557;color:#fff;padding:10px 20px;display:flex;justify-content:space-between;align-items:center}
main{padding:16px 20px;display:grid;gap:16px;grid-template-columns:1fr 1fr}
section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:12px}
section.wide{grid-column:1/3}
h2{font-size:15px;margin:0 0 8px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #eef0f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{background:#e9ecf1;height:8px;border-radius:4px;width:120px}.bar>span{display:block;height:8px;border-radius:4px;background:#2a9d8f}
.bar>span.high{background:#e76f51}
button{cursor:pointer}#login{max-width:320px;margin:80px auto;background:#fff;padding:20px;border:1px solid #dde1e7;border-radius:6px}
#login input{display:block;width:100%;margin:6px 0 12px;padding:6px;box-sizing:border-box}.error{color:#b00020}.intact{color:#1b7a3a}
</style></head>
<body>
<header><strong>Agora</strong><span id="who"></span></header>
<form id="login" hidden>
  <h2>Sign in</h2>
  <label>Name<input id="name" autocomplete="username" required></label>
  <label>Password<input id="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button><p class="error" id="login-error"></p>
</form>
<main id="app" hidden>
  <section class="wide"><h2>Participants and positions</h2><table id="positions"></table></section>
  <section><h2>Settlement windows</h2><table id="windows"></table></section>
  <section><h2>Settlements</h2><table id="settlements"></table></section>
  <section class="wide"><h2 id="report-title">Settlement report</h2><p id="report-hint">Choose a settlement.</p><table id="report"></table><p><a id="report-csv" hidden download>Download CSV</a></p></section>
  <section class="wide"><h2>Disbursements (G2P)</h2><table id="disbursements"></table></section>
  <section class="wide"><h2>Volumes (committed transfers per hour)</h2><div id="volumes"></div></section>
  <section class="wide"><h2>Audit log</h2><p id="chain-state"></p><table id="audit"></table></section>
</main>
<script>
const $ = (id) => document.getElementById(id)
const esc = (v) => String(v ?? '').replace(/[&<>"]/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]))
let me
async function api(path, options) {
  const r = await fetch('/ui/api' + path, { credentials: 'same-origin', ...options })
  if (r.status === 401) { showLogin(); throw new Error('not signed in') }
  const body = await r.json()
  if (!r.ok) throw new Error(body.errorInformation ? body.errorInformation.errorDescription : r.statusText)
  return body
}
function table(el, rows, columns, extra) {
  el.innerHTML = '<tr>' + columns.map((c) => '<th>' + esc(c[1]) + '</th>').join('') + (extra ? '<th></th>' : '') + '</tr>' +
    rows.map((r) => '<tr>' + columns.map((c) => '<td class="' + (c[2] || '') + '">' + (c[3] ? c[3](r) : esc(r[c[0]])) + '</td>').join('') + (extra ? '<td>' + extra(r) + '</td>' : '') + '</tr>').join('')
}
function showLogin() { $('login').hidden = false; $('app').hidden = true; $('who').textContent = '' }
async function load() {
  me = await api('/me')
  $('login').hidden = true; $('app').hidden = false
  $('who').innerHTML = esc(me.name) + ' (' + esc(me.roles.join(', ')) + ') <button id="logout">Sign out</button>'
  $('logout').onclick = async () => { await fetch('/ui/logout', { method: 'POST' }); showLogin() }
  const finance = me.roles.includes('finance')
  table($('positions'), await api('/reports/positions'), [['participant','Participant'],['currency','Currency'],['position','Position','num'],['reserved','Reserved','num'],['netDebitCap','Net debit cap','num'],['funds','Funds','num'],
    ['capUsedPercent','Cap used','',(r) => r.capUsedPercent === null ? '' : '<div class="bar" title="' + r.capUsedPercent + '%"><span class="' + (r.capUsedPercent > 80 ? 'high' : '') + '" data-width="' + Math.min(100, Math.max(0, r.capUsedPercent)) + '"></span></div>']])
  // Widths set from the script: the CSP allows no inline style attributes.
  document.querySelectorAll('[data-width]').forEach((bar) => { bar.style.width = bar.dataset.width + '%' })
  table($('windows'), await api('/windows'), [['id','Window'],['state','State'],['createdDate','Opened']],
    finance ? (w) => w.state === 'OPEN' ? '<button class="action" data-close="' + w.id + '">Close</button>' : w.state === 'CLOSED' ? '<button class="action" data-settle="' + w.id + '">Settle</button>' : '' : null)
  table($('disbursements'), await api('/disbursements'), [['disbursementId','Disbursement'],['payerFsp','Payer'],['format','Format'],['state','State'],['total','Total','num'],['paid','Paid','num'],['failed','Failed','num'],['unresolved','Unresolved','num'],['pending','Pending','num'],['amounts','Paid amount','num',(d) => esc(d.amounts.paid + ' ' + d.currency)]])
  table($('settlements'), await api('/settlements'), [['id','Settlement','',(s) => '<a href="#" data-report="' + s.id + '">#' + s.id + '</a>'],['state','State'],['createdDate','Created']])
  document.querySelectorAll('[data-report]').forEach((a) => a.onclick = (e) => { e.preventDefault(); report(a.dataset.report) })
  document.querySelectorAll('[data-close]').forEach((b) => b.onclick = async () => { await api('/windows/' + b.dataset.close + '/close', { method: 'POST' }); load() })
  document.querySelectorAll('[data-settle]').forEach((b) => b.onclick = async () => {
    const model = prompt('Settlement model', 'DEFERRED_NET_USD'); if (!model) return
    await api('/settlements', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ windowIds: [Number(b.dataset.settle)], model }) }); load()
  })
  volumes(await api('/reports/volumes'))
  await audit()
}
async function audit() {
  const chain = await api('/audit/verify')
  const state = $('chain-state')
  state.className = chain.intact ? 'intact' : 'error'
  state.textContent = chain.intact ? 'Hash chain intact up to seq ' + chain.intactThroughSeq + ' (head ' + chain.head.hash.slice(0, 16) + '…).'
    : 'Hash chain BROKEN at seq ' + chain.brokenAtSeq + ' (intact up to seq ' + chain.intactThroughSeq + '): ' + chain.problems.map((p) => p.message).join('; ')
  table($('audit'), (await api('/audit?limit=10')).entries, [['seq','Seq','num'],['createdAt','Time'],['actor','Who'],['action','Action'],['target','Target']])
}
async function report(id) {
  const rows = await api('/reports/settlements/' + id)
  $('report-title').textContent = 'Settlement report #' + id; $('report-hint').textContent = rows.length ? '' : 'No net positions.'
  table($('report'), rows, [['participant','Participant'],['currency','Currency'],['netSettlementAmount','Net amount','num'],['direction','Direction'],['state','State']])
  const csv = $('report-csv'); csv.href = '/ui/api/reports/settlements/' + id + '?format=csv'; csv.hidden = false
}
function volumes(rows) {
  if (!rows.length) { $('volumes').textContent = 'No committed transfers in the last 24 hours.'; return }
  const max = Math.max(...rows.map((r) => r.transfers)), w = 28, h = 120
  $('volumes').innerHTML = '<svg width="' + (rows.length * (w + 6) + 10) + '" height="' + (h + 40) + '" role="img" aria-label="transfers per hour">' +
    rows.map((r, i) => { const bh = Math.max(2, Math.round(h * r.transfers / max)); return '<g><title>' + esc(r.hour + ' ' + r.currency + ': ' + r.transfers + ' transfers, ' + r.volume) + '</title><rect x="' + (10 + i * (w + 6)) + '" y="' + (h - bh + 10) + '" width="' + w + '" height="' + bh + '" fill="#457b9d"></rect><text x="' + (10 + i * (w + 6)) + '" y="' + (h + 25) + '" font-size="9">' + esc(r.hour.slice(11, 13)) + 'h</text></g>' }).join('') + '</svg>'
}
$('login').onsubmit = async (e) => {
  e.preventDefault(); $('login-error').textContent = ''
  const r = await fetch('/ui/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: $('name').value, password: $('password').value }) })
  if (r.status === 429) { $('login-error').textContent = 'Too many failed attempts: try again in ' + r.headers.get('retry-after') + ' s.'; return }
  if (!r.ok) { $('login-error').textContent = 'Unknown user or wrong password.'; return }
  load()
}
load().catch(() => {})
</script></body></html>`
