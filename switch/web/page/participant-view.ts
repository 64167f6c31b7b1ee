// One participant: its positions, what an operator may change (net debit cap, funds in and out, active or
// not; each confirmed, done by the admin API), its statement with the running balance and its transfers,
// both filtered by date (days in the scheme's time zone) and paged on the server.
export const PARTICIPANT_HTML = `
<section class="view" id="view-participant" aria-labelledby="participant-title">
  <p><a href="#participants">← All participants</a></p>
  <h2 id="participant-title">Participant</h2>
  <table id="participant-positions"></table>
  <div id="participant-actions" class="actions" hidden>
    <h3>Operator actions</h3>
    <form id="ndc-form" class="action-form" hidden><fieldset><legend>Net debit cap</legend>
      <label>Currency <select id="ndc-currency"></select></label>
      <label>New cap <input id="ndc-value" inputmode="decimal" pattern="[0-9]+([.][0-9]{1,4})?" required></label>
      <button type="submit">Change the cap</button></fieldset></form>
    <form id="funds-form" class="action-form" hidden><fieldset><legend>Funds</legend>
      <label>Currency <select id="funds-currency"></select></label>
      <label>Amount <input id="funds-amount" inputmode="decimal" pattern="[0-9]+([.][0-9]{1,4})?" required></label>
      <label>Reason <input id="funds-reason" maxlength="200"></label>
      <button type="submit" data-direction="in">Record funds in</button> <button type="submit" data-direction="out">Record funds out</button></fieldset></form>
    <p id="active-action" hidden><button type="button" id="active-toggle"></button></p>
  </div>
  <h3 id="history-title">Position by hour, last 24 hours (<span id="history-currency"></span>)</h3>
  <div id="position-chart" class="chart"></div>
  <table id="position-history" aria-labelledby="history-title"></table>
  <h3 id="statement-title">Statement</h3>
  <div class="filters">
    <label>Account <select id="statement-account"><option>POSITION</option><option>SETTLEMENT</option></select></label>
    <label>Currency <select id="statement-currency"></select></label>
    <label>From <input type="date" id="statement-from"></label> <label>To <input type="date" id="statement-to"></label>
  </div>
  <table id="statement" aria-labelledby="statement-title"></table>
  <div class="pager" id="statement-pager"></div>
  <h3 id="transfers-title">Transfers</h3>
  <div class="filters">
    <label>State <select id="transfers-state"><option value="">any</option><option>RECEIVED</option><option>RESERVED</option><option>COMMITTED</option><option>ABORTED</option><option>EXPIRED</option></select></label>
    <label>From <input type="date" id="transfers-from"></label> <label>To <input type="date" id="transfers-to"></label>
  </div>
  <table id="transfers" aria-labelledby="transfers-title"></table>
  <div class="pager" id="transfers-pager"></div>
</section>`

export const PARTICIPANT_JS = `
const participantState = { name: null, statement: { offset: 0, limit: 50 }, transfers: { offset: 0, limit: 50 } }
const transferLink = (id) => '<a href="#transfer/' + encodeURIComponent(id) + '">' + esc(id) + '</a>'
const options = (values) => values.map((v) => '<option>' + esc(v) + '</option>').join('')
views.participant = async (name) => {
  if (participantState.name !== name) {
    participantState.name = name
    participantState.statement.offset = 0; participantState.transfers.offset = 0
    for (const id of ['statement-from', 'statement-to', 'transfers-from', 'transfers-to', 'transfers-state']) $(id).value = ''
  }
  $('participant-title').textContent = name
  const positions = (await api('/reports/participants?' + query({ name, limit: 500 }))).rows.filter((r) => r.participant === name)
  drawTable($('participant-positions'), [
    { key: 'currency', label: 'Currency' }, { key: 'active', label: 'Active' }, { key: 'position', label: 'Position', kind: 'money' }, { key: 'reserved', label: 'Reserved', kind: 'money' },
    { key: 'netDebitCap', label: 'Net debit cap', kind: 'money' }, { key: 'funds', label: 'Funds', kind: 'money' }, { key: 'capUsedPercent', label: 'Cap used', html: capBar },
  ], positions)
  const currencies = positions.map((p) => p.currency)
  for (const id of ['ndc-currency', 'funds-currency', 'statement-currency']) { const keep = $(id).value; $(id).innerHTML = options(currencies); if (currencies.includes(keep)) $(id).value = keep }
  drawParticipantActions(name, positions)
  await Promise.all([drawStatement(), drawTransfers(), drawPositionHistory()])
}
async function drawPositionHistory() {
  const currency = $('statement-currency').value
  $('history-currency').textContent = currency
  if (!currency) return
  const history = await api('/reports/participants/' + encodeURIComponent(participantState.name) + '/positionHistory?' + query({ currency, hours: 24 }))
  const ndc = units(history.netDebitCap)
  const capUsed = (position) => ndc === null || ndc === 0n ? null : Number((units(position) * 1000n) / ndc) / 10
  const rows = [{ hour: null, label: 'opening', position: history.opening }, ...history.hours.map((h) => ({ hour: h.hour, position: h.position }))]
    .map((r) => ({ ...r, currency, netDebitCap: history.netDebitCap, capUsedPercent: capUsed(r.position) }))
  drawTable($('position-history'), [{ key: 'hour', label: 'End of hour', html: (r) => r.hour ? when(new Date(Date.parse(r.hour) + 3600000 - 1).toISOString()) : 'start of the period' },
    { key: 'position', label: 'Position', kind: 'money' }, { key: 'netDebitCap', label: 'Net debit cap (now)', kind: 'money' }, { key: 'capUsedPercent', label: 'Cap used', html: capBar }], rows)
  const plotted = rows.filter((r) => r.hour)
  const amount = (v) => money(String(v), currency)
  timeChart($('position-chart'), 'Position against the net debit cap (' + currency + ')', plotted.map((r) => r.hour), [
    { label: 'position', values: plotted.map((r) => Number(r.position)), format: amount },
    ...(history.netDebitCap === null ? [] : [{ label: 'net debit cap', values: plotted.map(() => Number(history.netDebitCap)), format: amount }])])
}
function drawParticipantActions(name, positions) {
  const may = session.may
  $('participant-actions').hidden = !(may.setNetDebitCap || may.recordFunds || may.setParticipantActive)
  $('ndc-form').hidden = !may.setNetDebitCap
  $('funds-form').hidden = !(may.recordFunds && may.completeFundsOut)
  $('active-action').hidden = !may.setParticipantActive
  const active = positions.length > 0 && positions[0].active === 'yes'
  $('active-toggle').textContent = active ? 'Deactivate ' + name : 'Activate ' + name
  $('active-toggle').onclick = () => act((active ? 'Deactivate ' : 'Activate ') + name, () => send('PUT', '/admin/participants/' + encodeURIComponent(name), { isActive: !active }))
}
$('ndc-form').onsubmit = (e) => {
  e.preventDefault()
  const name = participantState.name, currency = $('ndc-currency').value, value = $('ndc-value').value.trim()
  act('Set the ' + currency + ' net debit cap of ' + name + ' to ' + money(value, currency), () => send('PUT', '/admin/participants/' + encodeURIComponent(name) + '/limits', { currency, limit: { type: 'NET_DEBIT_CAP', value } }))
}
$('funds-form').onsubmit = (e) => {
  e.preventDefault()
  const name = participantState.name, currency = $('funds-currency').value, amount = $('funds-amount').value.trim(), reason = $('funds-reason').value.trim() || undefined
  const out = e.submitter && e.submitter.dataset.direction === 'out'
  act('Record funds ' + (out ? 'out of ' : 'into ') + name + ': ' + money(amount, currency) + ' ' + currency, async () => {
    const accounts = await api('/admin/participants/' + encodeURIComponent(name) + '/accounts')
    const account = accounts.find((a) => a.ledgerAccountType === 'SETTLEMENT' && a.currency === currency)
    if (!account) throw new Error(name + ' has no ' + currency + ' settlement account')
    const transferId = crypto.randomUUID(), path = '/admin/participants/' + encodeURIComponent(name) + '/accounts/' + account.id
    await send('POST', path, { transferId, action: out ? 'recordFundsOutPrepareReserve' : 'recordFundsIn', reason, amount: { amount, currency } })
    if (out) await send('PUT', path + '/transfers/' + transferId, { action: 'recordFundsOutCommit', reason })
  })
}
async function drawStatement() {
  const page = participantState.statement
  const result = await api('/reports/participants/' + encodeURIComponent(participantState.name) + '/journal?' + query({
    offset: page.offset, limit: page.limit, account: $('statement-account').value, currency: $('statement-currency').value,
    from: schemeDay($('statement-from').value), to: schemeDay($('statement-to').value, true),
  }))
  drawTable($('statement'), [
    { key: 'time', label: 'Time', kind: 'time' }, { key: 'kind', label: 'Kind' },
    { key: 'reference', label: 'Reference', html: (r) => r.kind.startsWith('TRANSFER') ? transferLink(r.reference) : esc(r.reference) },
    { key: 'window', label: 'Window' }, { key: 'amount', label: 'Amount', kind: 'money' }, { key: 'balance', label: 'Balance', kind: 'money' },
  ], result.rows)
  pager($('statement-pager'), page, result.total, (offset) => { page.offset = offset; drawStatement() })
}
async function drawTransfers() {
  const page = participantState.transfers
  const result = await api('/reports/participants/' + encodeURIComponent(participantState.name) + '/transfers?' + query({
    offset: page.offset, limit: page.limit, state: $('transfers-state').value, from: schemeDay($('transfers-from').value), to: schemeDay($('transfers-to').value, true),
  }))
  drawTable($('transfers'), [
    { key: 'transferId', label: 'Transfer', html: (r) => transferLink(r.transferId) }, { key: 'created', label: 'Created', kind: 'time' },
    { key: 'direction', label: 'In/out' }, { key: 'payer', label: 'Payer' }, { key: 'payee', label: 'Payee' },
    { key: 'amount', label: 'Amount', kind: 'money' }, { key: 'currency', label: 'Currency' }, { key: 'state', label: 'State' }, { key: 'errorCode', label: 'Error' },
  ], result.rows)
  pager($('transfers-pager'), page, result.total, (offset) => { page.offset = offset; drawTransfers() })
}
for (const id of ['statement-account', 'statement-currency', 'statement-from', 'statement-to']) $(id).onchange = () => { participantState.statement.offset = 0; drawStatement() }
for (const id of ['transfers-state', 'transfers-from', 'transfers-to']) $(id).onchange = () => { participantState.transfers.offset = 0; drawTransfers() }
`
