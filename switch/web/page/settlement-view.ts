// One settlement as it is: its state and windows, the multilateral net position of each participant per
// currency with the state of its settlement account (and each currency's total, zero when the netting
// holds), the journal entries its steps posted; CSV downloads and a printable report. An operator with
// the role advances every account one step or aborts it (confirmed, done by the admin API).
export const SETTLEMENT_HTML = `
<section class="view" id="view-settlement" aria-labelledby="settlement-title">
  <p class="no-print"><a href="#settlements">← All windows and settlements</a></p>
  <h2 id="settlement-title">Settlement</h2>
  <dl id="settlement-facts" class="facts"></dl>
  <p class="no-print downloads"><a id="settlement-csv" download>Net positions (CSV)</a> · <a id="journal-csv" download>Journal entries (CSV)</a> ·
    <button type="button" id="settlement-print">Print report</button></p>
  <div id="settlement-actions" class="actions no-print" hidden><button type="button" id="settlement-advance"></button> <button type="button" id="settlement-abort">Abort the settlement</button></div>
  <h3 id="nets-title">Multilateral net positions</h3>
  <table id="report" aria-labelledby="nets-title"></table>
  <table id="net-totals" class="totals"></table>
  <h3 id="settlement-journal-title">Journal entries</h3>
  <table id="settlement-journal" aria-labelledby="settlement-journal-title"></table>
</section>`

export const SETTLEMENT_JS = `
const SETTLEMENT_STEPS = ['PENDING_SETTLEMENT', 'PS_TRANSFERS_RECORDED', 'PS_TRANSFERS_RESERVED', 'PS_TRANSFERS_COMMITTED', 'SETTLED']
const nextStep = (state) => { const i = SETTLEMENT_STEPS.indexOf(state); return i >= 0 && i < SETTLEMENT_STEPS.length - 1 ? SETTLEMENT_STEPS[i + 1] : null }
views.settlement = async (id) => {
  const detail = await api('/reports/settlements/' + encodeURIComponent(id) + '/detail')
  const s = detail.settlement
  $('settlement-title').textContent = 'Settlement ' + s.id
  $('settlement-facts').innerHTML = [['State', esc(s.state)], ['Model', esc(s.model)], ['Windows', esc(detail.windows.map((w) => w.id + ' (' + w.state + ')').join(', '))],
    ['Created', when(s.created)], ['Changed', when(s.changed)], ['Reason', esc(s.reason)]].map(([k, v]) => '<dt>' + esc(k) + '</dt><dd data-fact="' + esc(k) + '">' + v + '</dd>').join('')
  $('settlement-csv').href = '/ui/api/reports/settlements/' + s.id + '?format=csv'
  $('journal-csv').href = '/ui/api/reports/settlements/' + s.id + '/journal?format=csv'
  drawTable($('report'), [{ key: 'participant', label: 'Participant', html: (r) => participantLink(r.participant) }, { key: 'currency', label: 'Currency' },
    { key: 'netSettlementAmount', label: 'Net amount', kind: 'money' }, { key: 'direction', label: 'Direction' }, { key: 'state', label: 'State' }, { key: 'externalReference', label: 'External reference' }], detail.accounts)
  const totals = new Map()
  for (const a of detail.accounts) totals.set(a.currency, (totals.get(a.currency) ?? 0n) + units(a.netSettlementAmount))
  drawTable($('net-totals'), [{ key: 'currency', label: 'Currency' }, { key: 'total', label: 'Sum of net positions', kind: 'money' }, { key: 'check', label: 'Netting' }],
    [...totals].map(([currency, total]) => ({ currency, total: fromUnits(total), check: total === 0n ? 'balanced' : 'NOT BALANCED' })))
  drawTable($('settlement-journal'), [{ key: 'entry', label: 'Entry', kind: 'num' }, { key: 'time', label: 'Time', kind: 'time' }, { key: 'kind', label: 'Kind' }, { key: 'participant', label: 'Participant' },
    { key: 'account', label: 'Account' }, { key: 'currency', label: 'Currency' }, { key: 'amount', label: 'Amount', kind: 'money' }], detail.journal)
  drawSettlementActions(s)
}
function drawSettlementActions(s) {
  const next = nextStep(s.state), abortable = ['PENDING_SETTLEMENT', 'PS_TRANSFERS_RECORDED', 'PS_TRANSFERS_RESERVED'].includes(s.state)
  $('settlement-actions').hidden = !session.may.updateSettlement || (!next && !abortable)
  $('settlement-advance').hidden = !next
  $('settlement-advance').textContent = 'Advance every account to ' + next
  $('settlement-abort').hidden = !abortable
  $('settlement-advance').onclick = () => act('Advance settlement ' + s.id + ' to ' + next, async () => {
    const view = await api('/admin/v2/settlements/' + s.id)
    const participants = view.participants.map((p) => ({ id: p.id, accounts: p.accounts.filter((a) => nextStep(a.state)).map((a) => ({ id: a.id, state: nextStep(a.state), reason: 'advanced by ' + session.me.name + ' in the web view' })) }))
      .filter((p) => p.accounts.length > 0)
    await send('PUT', '/admin/v2/settlements/' + s.id, { participants })
  })
  $('settlement-abort').onclick = () => act('Abort settlement ' + s.id, () => send('PUT', '/admin/v2/settlements/' + s.id, { state: 'ABORTED', reason: 'aborted by ' + session.me.name + ' in the web view' }))
}
$('settlement-print').onclick = () => window.print()
`
