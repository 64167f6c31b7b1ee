// The audit trail: whether the hash chain verifies, the operator actions with who did them (filtered by
// actor and action, paged back in time), and the money that moved outside transfers (funds in and out).
export const AUDIT_HTML = `
<section class="view" id="view-audit" aria-labelledby="audit-title">
  <h2 id="audit-title">Audit</h2>
  <p id="chain-state" role="status"></p>
  <h3 id="audit-log-title">Operator actions</h3>
  <div class="filters"><label>Who <input id="audit-actor" autocomplete="off"></label> <label>Action <input id="audit-action" autocomplete="off"></label></div>
  <p id="audit-hint" class="hint" hidden>The audit log's entries are for the auditor and regulator roles.</p>
  <table id="audit" aria-labelledby="audit-log-title"></table>
  <div class="pager"><button type="button" id="audit-newest">Newest</button> <button type="button" id="audit-older">Older entries</button></div>
  <h3 id="funds-title">Funds in and out</h3>
  <table id="funds" aria-labelledby="funds-title"></table>
  <div class="pager" id="funds-pager"></div>
</section>`

export const AUDIT_JS = `
const auditState = { beforeSeq: undefined, next: null, funds: { offset: 0, limit: 50 } }
views.audit = async () => {
  const chain = await api('/audit/verify')
  const state = $('chain-state')
  state.className = chain.intact ? 'intact' : 'error'
  state.textContent = chain.intact ? 'Hash chain intact up to seq ' + chain.intactThroughSeq + ' (head ' + chain.head.hash.slice(0, 16) + '…).'
    : 'Hash chain BROKEN at seq ' + chain.brokenAtSeq + ' (intact up to seq ' + chain.intactThroughSeq + '): ' + chain.problems.map((p) => p.message).join('; ')
  await Promise.all([drawAudit(), drawFunds()])
}
async function drawAudit() {
  let page
  try { page = await api('/audit?' + query({ limit: 50, beforeSeq: auditState.beforeSeq, actor: $('audit-actor').value.trim(), action: $('audit-action').value.trim() })) }
  catch (e) { $('audit-hint').hidden = false; $('audit').innerHTML = ''; return }
  $('audit-hint').hidden = true
  auditState.next = page.nextBeforeSeq
  $('audit-older').disabled = !page.nextBeforeSeq
  drawTable($('audit'), [{ key: 'seq', label: 'Seq' }, { key: 'createdAt', label: 'Time', kind: 'time' }, { key: 'actor', label: 'Who' }, { key: 'action', label: 'Action' }, { key: 'target', label: 'Target' },
    { key: 'detail', label: 'Detail', html: (r) => r.detail ? '<code>' + esc(JSON.stringify(r.detail)).slice(0, 300) + '</code>' : '' }], page.entries)
}
async function drawFunds() {
  const page = auditState.funds
  const result = await api('/reports/fundsMovements?' + query({ offset: page.offset, limit: page.limit }))
  drawTable($('funds'), [{ key: 'created', label: 'Time', kind: 'time' }, { key: 'participant', label: 'Participant', html: (r) => participantLink(r.participant) }, { key: 'direction', label: 'Direction' },
    { key: 'amount', label: 'Amount', kind: 'money' }, { key: 'currency', label: 'Currency' }, { key: 'state', label: 'State' }, { key: 'recordedBy', label: 'Recorded by' }, { key: 'reason', label: 'Reason' }], result.rows)
  pager($('funds-pager'), page, result.total, (offset) => { page.offset = offset; drawFunds() })
}
$('audit-older').onclick = () => { auditState.beforeSeq = auditState.next; drawAudit() }
$('audit-newest').onclick = () => { auditState.beforeSeq = undefined; drawAudit() }
const refilterAudit = debounce(() => { auditState.beforeSeq = undefined; drawAudit() }, 250)
$('audit-actor').oninput = refilterAudit
$('audit-action').oninput = refilterAudit
`
