// The participants view: every DFSP's position per currency against its net debit cap, a page at a time
// from the server (sorted and filtered there), so a scheme of thousands of DFSPs stays quick.
export const PARTICIPANTS_HTML = `
<section class="view" id="view-participants" aria-labelledby="participants-title">
  <h2 id="participants-title">Participants and positions</h2>
  <div class="filters">
    <label>Name contains <input id="participants-name" type="search" autocomplete="off"></label>
    <label>Currency <input id="participants-currency" maxlength="3" size="4" pattern="[A-Za-z]{3}" autocomplete="off"></label>
  </div>
  <table id="participants"></table>
  <div class="pager" id="participants-pager"></div>
</section>`

export const PARTICIPANTS_JS = `
const participantsPage = { offset: 0, limit: 50, sort: null }
const SORT_KEYS = { participant: 'participant', currency: 'currency', position: 'position', reserved: 'reserved', netDebitCap: 'netDebitCap', funds: 'funds', capUsedPercent: 'capUsed' }
const capBar = (r) => r.capUsedPercent === null ? '' : '<div class="bar" title="' + esc(r.capUsedPercent) + '% of the cap used"><span class="' + (r.capUsedPercent > 80 ? 'high' : '') + '" data-width="' + Math.min(100, Math.max(0, r.capUsedPercent)) + '"></span></div> <span class="percent">' + esc(numberFormat(0, 1).format(r.capUsedPercent)) + ' %</span>'
const participantLink = (name) => '<a href="#participant/' + encodeURIComponent(name) + '">' + esc(name) + '</a>'
views.participants = async () => {
  const sort = participantsPage.sort
  const result = await api('/reports/participants?' + query({
    offset: participantsPage.offset, limit: participantsPage.limit, name: $('participants-name').value.trim(), currency: $('participants-currency').value.trim().toUpperCase(),
    sort: sort ? SORT_KEYS[sort.key] : undefined, order: sort && sort.descending ? 'desc' : undefined,
  }))
  drawTable($('participants'), [
    { key: 'participant', label: 'Participant', html: (r) => participantLink(r.participant) }, { key: 'active', label: 'Active', sortable: false }, { key: 'currency', label: 'Currency' },
    { key: 'position', label: 'Position', kind: 'money' }, { key: 'reserved', label: 'Reserved', kind: 'money' }, { key: 'netDebitCap', label: 'Net debit cap', kind: 'money' },
    { key: 'funds', label: 'Funds', kind: 'money' }, { key: 'capUsedPercent', label: 'Cap used', html: capBar },
  ], result.rows, { sort, onSort: (key) => { participantsPage.sort = nextSort(sort, key); participantsPage.offset = 0; views.participants() } })
  pager($('participants-pager'), participantsPage, result.total, (offset) => { participantsPage.offset = offset; views.participants() })
}
const refilterParticipants = debounce(() => { participantsPage.offset = 0; views.participants() }, 250)
$('participants-name').oninput = refilterParticipants
$('participants-currency').oninput = refilterParticipants
`
