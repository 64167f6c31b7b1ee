// One transfer's whole life: what it is, each state with its time, its journal entries, and its callbacks
// that needed more than one try (retrying, or dead-lettered with the reason).
export const TRANSFER_HTML = `
<section class="view" id="view-transfer" aria-labelledby="transfer-title">
  <h2 id="transfer-title">Transfer</h2>
  <dl id="transfer-facts" class="facts"></dl>
  <h3 id="transfer-states-title">States</h3><table id="transfer-states" aria-labelledby="transfer-states-title"></table>
  <h3 id="transfer-journal-title">Journal entries</h3><table id="transfer-journal" aria-labelledby="transfer-journal-title"></table>
  <h3 id="transfer-callbacks-title">Callbacks</h3>
  <p class="hint">The switch records a callback only when its first try fails: one that is not listed here was delivered on its first try.</p>
  <table id="transfer-callbacks" aria-labelledby="transfer-callbacks-title"></table>
</section>`

export const TRANSFER_JS = `
views.transfer = async (id) => {
  const life = await api('/reports/transfers/' + encodeURIComponent(id))
  const t = life.transfer
  $('transfer-title').textContent = 'Transfer ' + t.transferId
  const facts = [['Payer', participantLink(t.payer)], ['Payee', participantLink(t.payee)], ['Amount', esc(money(t.amount, t.currency) + ' ' + t.currency)], ['State', esc(t.state)],
    ['Error', esc(t.errorCode ? t.errorCode + ' ' + (t.errorDescription || '') : '')], ['Created', when(t.created)], ['Completed', when(t.completed)], ['Expires', when(t.expiration)],
    ['Settlement window', esc(t.window)], ['FSPIOP version', esc(t.fspiopVersion)]]
  $('transfer-facts').innerHTML = facts.map(([k, v]) => '<dt>' + esc(k) + '</dt><dd data-fact="' + esc(k) + '">' + v + '</dd>').join('')
  drawTable($('transfer-states'), [{ key: 'time', label: 'Time', kind: 'time' }, { key: 'state', label: 'State' }, { key: 'reason', label: 'Reason' }], life.states)
  const lines = life.journal.flatMap((e) => e.lines.map((l) => ({ entry: e.entry, kind: e.kind, time: e.time, participant: l.participant, account: l.account, amount: l.amount, currency: t.currency })))
  drawTable($('transfer-journal'), [{ key: 'entry', label: 'Entry' }, { key: 'time', label: 'Time', kind: 'time' }, { key: 'kind', label: 'Kind' }, { key: 'participant', label: 'Participant' }, { key: 'account', label: 'Account' }, { key: 'amount', label: 'Amount', kind: 'money' }], lines)
  drawTable($('transfer-callbacks'), [{ key: 'recipient', label: 'Recipient' }, { key: 'outcome', label: 'Outcome' }, { key: 'attempts', label: 'Tries', kind: 'num' }, { key: 'reason', label: 'Last reason' }, { key: 'time', label: 'Due / given up', kind: 'time' }], life.callbacks)
}
`
