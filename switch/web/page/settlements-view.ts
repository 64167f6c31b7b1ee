// Settlement windows and settlements: sortable and filterable lists; an operator with the role closes an
// open window or starts a settlement of a closed one from here (confirmed, done by the admin API).
export const SETTLEMENTS_HTML = `
<section class="view" id="view-settlements" aria-labelledby="settlements-title">
  <h2 id="settlements-title">Settlement</h2>
  <h3 id="windows-title">Windows</h3>
  <div class="filters"><label>Filter windows <input id="windows-filter" type="search" autocomplete="off"></label>
    <label id="model-choice" hidden>Settlement model <select id="settlement-model"></select></label></div>
  <table id="windows" aria-labelledby="windows-title"></table>
  <h3 id="settlement-list-title">Settlements</h3>
  <div class="filters"><label>Filter settlements <input id="settlements-filter" type="search" autocomplete="off"></label></div>
  <table id="settlements" aria-labelledby="settlement-list-title"></table>
</section>`

export const SETTLEMENTS_JS = `
views.settlements = async () => {
  const may = session.may
  const [windows, settlements, models] = await Promise.all([api('/windows'), api('/settlements'), may.createSettlement ? api('/admin/settlementModels') : []])
  $('model-choice').hidden = !may.createSettlement
  if (may.createSettlement) $('settlement-model').innerHTML = options(models.map((m) => m.name))
  const windowAction = (w) => w.state === 'OPEN' && may.closeWindow ? '<button type="button" class="action" data-close="' + w.id + '">Close window ' + w.id + '</button>'
    : w.state === 'CLOSED' && may.createSettlement ? '<button type="button" class="action" data-settle="' + w.id + '">Settle window ' + w.id + '</button>' : ''
  localTable($('windows'), [{ key: 'id', label: 'Window', kind: 'num' }, { key: 'state', label: 'State' }, { key: 'createdDate', label: 'Opened', kind: 'time' }, { key: 'changedDate', label: 'Changed', kind: 'time' }, { key: 'reason', label: 'Reason' },
    { key: 'action', label: 'Action', sortable: false, html: windowAction }], windows, $('windows-filter'))
  localTable($('settlements'), [{ key: 'id', label: 'Settlement', kind: 'num', html: (s) => '<a href="#settlement/' + s.id + '" data-report="' + s.id + '">Settlement ' + s.id + '</a>' },
    { key: 'state', label: 'State' }, { key: 'createdDate', label: 'Created', kind: 'time' }, { key: 'reason', label: 'Reason' }], settlements, $('settlements-filter'))
}
$('windows').addEventListener('click', (e) => {
  const close = e.target.closest('[data-close]'), settle = e.target.closest('[data-settle]')
  if (close) act('Close settlement window ' + close.dataset.close, () => send('POST', '/admin/v2/settlementWindows/' + close.dataset.close, { state: 'CLOSED', reason: 'closed by ' + session.me.name + ' in the web view' }))
  if (settle) {
    const model = $('settlement-model').value
    act('Settle window ' + settle.dataset.settle + ' with the model ' + model, async () => {
      const created = await send('POST', '/admin/v2/settlements', { settlementModel: model, reason: 'started by ' + session.me.name + ' in the web view', settlementWindows: [{ id: Number(settle.dataset.settle) }] })
      location.hash = '#settlement/' + created.id
    })
  }
})
`
