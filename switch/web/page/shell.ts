// The page around the views: its style (a print stylesheet included: a printed settlement is a report a
// regulator can file), the header with the navigation, the log-in form, the notice line and the
// confirmation dialog every operator action goes through.
export const PAGE_STYLE = `
[hidden]{display:none!important}
.chart{margin:6px 0;max-width:1200px}
.alerts{border:1px solid #b3401f;background:#fff4f0;border-radius:6px;padding:2px 12px;margin:6px 0}.alerts h3{color:#8a2d12;margin:8px 0 4px}
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f4f5f7}
header{background:#1d3557;color:#fff;padding:8px 20px;display:flex;gap:24px;align-items:center;flex-wrap:wrap}
header nav{display:flex;gap:4px;flex:1}header nav a{color:#fff;padding:6px 10px;border-radius:4px;text-decoration:none}
header nav a[aria-current=page]{background:#fff;color:#1d3557;font-weight:600}
a{color:#174a85}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
main{padding:12px 20px;max-width:1400px}
section.view{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:12px 16px}
h2{font-size:17px;margin:4px 0 10px}h3{font-size:14px;margin:18px 0 6px}
table{border-collapse:collapse;width:100%;margin:4px 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e3e6eb;vertical-align:top}
th{background:#eef1f5;font-weight:600}th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}
td.empty{color:#4b5563;font-style:italic}
button.sort{all:unset;cursor:pointer;font-weight:600}button.sort:focus-visible{outline:3px solid #f0a500}
.bar{display:inline-block;background:#dfe3e9;height:8px;border-radius:4px;width:100px;vertical-align:middle}.bar>span{display:block;height:8px;border-radius:4px;background:#1f7a70}
.bar>span.high{background:#b3401f}.percent{font-variant-numeric:tabular-nums}
.filters{display:flex;gap:14px;flex-wrap:wrap;align-items:end;margin:6px 0}.filters label{display:flex;flex-direction:column;font-size:12px;color:#374151}
.pager{display:flex;gap:8px;align-items:center;margin:6px 0}.hint{color:#4b5563;font-size:12px}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px}.facts dt{font-weight:600}.facts dd{margin:0}
.actions{border:1px solid #e0c27a;background:#fffaf0;border-radius:6px;padding:6px 12px;margin:10px 0}
fieldset{border:1px solid #d5d9e0;display:flex;gap:10px;align-items:end;flex-wrap:wrap;margin:6px 0}fieldset label{display:flex;flex-direction:column;font-size:12px}
button{cursor:pointer;padding:4px 10px;border:1px solid #1d3557;border-radius:4px;background:#fff;color:#1d3557}button:disabled{opacity:.55;cursor:default}
button.action,.actions button{background:#1d3557;color:#fff}
#notice.ok{color:#166534}#notice.error,.error{color:#b00020}.intact{color:#166534}
#login{max-width:320px;margin:80px auto;background:#fff;padding:20px;border:1px solid #d5d9e0;border-radius:6px}
#login input{display:block;width:100%;margin:6px 0 12px;padding:6px;box-sizing:border-box}
dialog{border:1px solid #1d3557;border-radius:6px;max-width:420px}dialog::backdrop{background:rgba(0,0,0,.35)}
code{font-size:11px;word-break:break-all}
@media print{
  header,nav,.no-print,.filters,.pager,.actions,button,#notice,dialog{display:none!important}
  body{background:#fff;color:#000;font-size:11pt}main{padding:0;max-width:none}section.view{border:0;padding:0}
  a{color:#000;text-decoration:none}th{background:#eee}table{page-break-inside:auto}tr{page-break-inside:avoid}
}`

export const PAGE_HEAD = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Agora — scheme view</title>
<meta name="viewport" content="width=device-width, initial-scale=1">`

export const PAGE_HEADER = `
<header><strong>Agora</strong>
  <nav id="nav" aria-label="Views" hidden>
    <a href="#participants" data-view="participants">Participants</a><a href="#settlements" data-view="settlements">Settlement</a>
    <a href="#audit" data-view="audit">Audit</a><a href="#overview" data-view="overview">Overview</a>
  </nav><span id="who"></span></header>
<form id="login" hidden aria-labelledby="login-title">
  <h2 id="login-title">Sign in</h2>
  <label>Name<input id="name" autocomplete="username" required></label>
  <label>Password<input id="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button><p class="error" id="login-error" role="alert"></p>
</form>
<dialog id="confirm" aria-labelledby="confirm-title"><form method="dialog">
  <h2 id="confirm-title">Please confirm</h2><p id="confirm-text"></p>
  <button value="no" id="confirm-no">Cancel</button> <button value="yes" id="confirm-yes" class="action">Confirm</button>
</form></dialog>`

export const LOGIN_JS = `
function showLogin() { $('login').hidden = false; $('app').hidden = true; $('nav').hidden = true; $('who').textContent = '' }
async function start() {
  session.me = await api('/me')
  const scheme = await api('/scheme')
  session.scheme = scheme; session.may = scheme.may
  $('login').hidden = true; $('app').hidden = false; $('nav').hidden = false
  $('who').innerHTML = esc(session.me.name) + ' (' + esc(session.me.roles.join(', ')) + ') · times in ' + esc(scheme.timeZone) + ' <button type="button" id="logout">Sign out</button>'
  $('logout').onclick = async () => { await fetch('/ui/logout', { method: 'POST' }); showLogin() }
  await route()
}
$('login').onsubmit = async (e) => {
  e.preventDefault(); $('login-error').textContent = ''
  const r = await fetch('/ui/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: $('name').value, password: $('password').value }) })
  if (r.status === 429) { $('login-error').textContent = 'Too many failed attempts: try again in ' + r.headers.get('retry-after') + ' s.'; return }
  if (!r.ok) { $('login-error').textContent = 'Unknown user or wrong password.'; return }
  start()
}
start().catch(() => {})
`
