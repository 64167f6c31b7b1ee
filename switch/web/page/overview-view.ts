// The scheme at a glance: hub totals per currency and account type, committed transfers per hour over the
// last day (an SVG bar chart drawn by the page), health per hour (ended transfers, failures by FSPIOP
// error code, latency percentiles) over a chosen period, charted (charts.ts) and tabled, and the G2P
// disbursements' progress.
export const OVERVIEW_HTML = `
<section class="view" id="view-overview" aria-labelledby="overview-title">
  <h2 id="overview-title">Scheme overview</h2>
  <div id="alerts" role="alert" aria-live="polite"></div>
  <h3 id="hub-title">Hub totals</h3><table id="hub" aria-labelledby="hub-title"></table>
  <h3>Committed transfers per hour (last 24 hours)</h3><div id="volumes"></div>
  <h3 id="health-title">Health per hour</h3>
  <div class="filters"><label>Period <select id="health-hours"><option value="24">last 24 hours</option><option value="168">last 7 days</option><option value="720">last 30 days</option></select></label>
    <label>Participant <input id="health-participant" autocomplete="off" placeholder="the whole scheme"></label></div>
  <div id="health-chart" class="chart"></div><div id="latency-chart" class="chart"></div>
  <table id="health" aria-labelledby="health-title"></table>
  <h3 id="disbursements-title">Disbursements (G2P)</h3><table id="disbursements" aria-labelledby="disbursements-title"></table>
</section>`

export const OVERVIEW_JS = `
views.overview = async () => {
  const [hub, volumes, disbursements, alerts] = await Promise.all([api('/reports/hub'), api('/reports/volumes'), api('/disbursements'), api('/reports/alerts')])
  drawAlerts(alerts)
  localTable($('hub'), [{ key: 'currency', label: 'Currency' }, { key: 'account', label: 'Account type' }, { key: 'accounts', label: 'Accounts', kind: 'num' }, { key: 'value', label: 'Value', kind: 'money' }, { key: 'reserved', label: 'Reserved', kind: 'money' }], hub)
  drawVolumes(volumes)
  await drawHealth()
  localTable($('disbursements'), [{ key: 'disbursementId', label: 'Disbursement' }, { key: 'payerFsp', label: 'Payer' }, { key: 'format', label: 'Format' }, { key: 'state', label: 'State' },
    { key: 'total', label: 'Total', kind: 'num' }, { key: 'paid', label: 'Paid', kind: 'num' }, { key: 'failed', label: 'Failed', kind: 'num' }, { key: 'unresolved', label: 'Unresolved', kind: 'num' },
    { key: 'pending', label: 'Pending', kind: 'num' }, { key: 'paidAmount', label: 'Paid amount', html: (d) => esc(money(d.amounts.paid, d.currency) + ' ' + d.currency) }], disbursements)
}
async function drawHealth() {
  const hours = await api('/reports/health?' + query({ hours: $('health-hours').value, participant: $('health-participant').value.trim() }))
  const codes = (h) => Object.entries(h.failuresByCode).sort((a, b) => b[1] - a[1]).map(([code, n]) => code + ': ' + count(n)).join(', ')
  const latency = (v) => v === null ? '' : '≤ ' + count(v) + ' ms'
  localTable($('health'), [{ key: 'hour', label: 'Hour', kind: 'time' }, { key: 'committed', label: 'Committed', kind: 'num' }, { key: 'failed', label: 'Failed', kind: 'num' },
    { key: 'failureRatePercent', label: 'Failure rate', kind: 'num', html: (h) => esc(numberFormat(1, 1).format(h.failureRatePercent) + ' %') }, { key: 'codes', label: 'Failures by error code', sortable: false, html: codes },
    { key: 'latency_ms_p50', label: 'p50 latency', kind: 'num', html: (h) => esc(latency(h.latency_ms_p50)) }, { key: 'latency_ms_p99', label: 'p99 latency', kind: 'num', html: (h) => esc(latency(h.latency_ms_p99)) }], [...hours].reverse())
  const at = hours.map((h) => h.hour)
  const percent = (v) => numberFormat(1, 1).format(v) + ' %'
  timeChart($('health-chart'), 'Transfers per hour', at, [
    { label: 'committed', values: hours.map((h) => h.committed) }, { label: 'failed', values: hours.map((h) => h.failed) },
    { label: 'failure rate', values: hours.map((h) => Number(h.failureRatePercent)), scale: 'right', format: percent }])
  timeChart($('latency-chart'), 'Latency per hour (ms, upper bound of the bucket)', at, [
    { label: 'p50', values: hours.map((h) => h.latency_ms_p50) }, { label: 'p99', values: hours.map((h) => h.latency_ms_p99) }])
}
function drawAlerts(alerts) {
  const line = (a) => a.kind === 'cap'
    ? '<a href="#participant/' + encodeURIComponent(a.participant) + '">' + esc(a.participant) + '</a>: position and reservations at ' + esc(numberFormat(1, 1).format(a.capUsedPercent)) + ' % of its net debit cap (' + esc(money(a.netDebitCap, a.currency) + ' ' + a.currency) + ')'
    : '<a href="#participant/' + encodeURIComponent(a.participant) + '">' + esc(a.participant) + '</a>: ' + esc(numberFormat(1, 1).format(a.lastHourPercent)) + ' % of its transfers failed in the last hour (' + count(a.lastHourFailed) + ' of ' + count(a.lastHourEnded) + '), against ' + esc(numberFormat(1, 1).format(a.dayBeforePercent)) + ' % the day before'
  $('alerts').className = alerts.length ? 'alerts' : ''
  $('alerts').innerHTML = alerts.length ? '<h3>Alerts</h3><ul>' + alerts.map((a) => '<li data-kind="' + a.kind + '">' + line(a) + '</li>').join('') + '</ul>' : ''
}
$('health-hours').onchange = () => drawHealth()
$('health-participant').oninput = debounce(() => drawHealth(), 300)
let hourFormat
function drawVolumes(rows) {
  hourFormat ??= new Intl.DateTimeFormat(locale, { timeZone: session.scheme.timeZone, hour: '2-digit', hourCycle: 'h23' })
  if (!rows.length) { $('volumes').textContent = 'No committed transfers in the last 24 hours.'; return }
  const max = Math.max(...rows.map((r) => r.transfers)), w = 28, h = 120
  $('volumes').innerHTML = '<svg width="' + (rows.length * (w + 6) + 10) + '" height="' + (h + 40) + '" role="img" aria-label="committed transfers per hour">' +
    rows.map((r, i) => { const bh = Math.max(2, Math.round(h * r.transfers / max)); return '<g><title>' + esc(r.hour + ' ' + r.currency + ': ' + count(r.transfers) + ' transfers, ' + money(r.volume, r.currency)) + '</title><rect x="' + (10 + i * (w + 6)) + '" y="' + (h - bh + 10) + '" width="' + w + '" height="' + bh + '" fill="#2f5f8a"></rect><text x="' + (10 + i * (w + 6)) + '" y="' + (h + 25) + '" font-size="9">' + esc(hourFormat.format(new Date(r.hour))) + 'h</text></g>' }).join('') + '</svg>'
}
`
