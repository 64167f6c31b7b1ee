// The page's shared script: calls to /ui/api, numbers and times for people (amounts per currency scale with
// the viewer's locale grouping, times in the scheme's time zone with UTC on hover), tables with sorting and
// filtering, pagers, the confirmation dialog, and the hash router the views register with. Plain browser
// JavaScript in a string: the page has no build step, and its CSP allows this script by its hash.
import { allCurrencies } from '../../../ledger/domain/currencies.ts'

const SCALES = JSON.stringify(Object.fromEntries(allCurrencies()))

export const CLIENT_CORE_JS = String.raw`
const SCALES = ${SCALES}
const LEDGER_SCALE = 4
const $ = (id) => document.getElementById(id)
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]))
const session = { me: null, scheme: null, may: {} }
const views = {}
const locale = navigator.language || 'en'

async function api(path, options) {
  const r = await fetch('/ui/api' + path, { credentials: 'same-origin', ...options })
  if (r.status === 401) { showLogin(); throw new Error('not signed in') }
  const text = await r.text()
  const body = text ? JSON.parse(text) : null
  if (!r.ok) throw new Error(body && body.errorInformation ? body.errorInformation.errorDescription : r.status + ' ' + r.statusText)
  return body
}
const send = (method, path, body) => api(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const query = (params) => Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(v)).join('&')

const numberFormats = new Map()
function numberFormat(min, max) {
  const key = min + ':' + max
  if (!numberFormats.has(key)) numberFormats.set(key, new Intl.NumberFormat(locale, { minimumFractionDigits: min, maximumFractionDigits: max }))
  return numberFormats.get(key)
}
/** A ledger amount (a decimal string) with the currency's decimals and the locale's grouping; never rounded. */
function money(amount, currency) {
  if (amount === null || amount === undefined || amount === '') return ''
  const s = String(amount), decimals = (s.split('.')[1] || '').length
  const scale = currency in SCALES ? SCALES[currency] : LEDGER_SCALE
  return numberFormat(scale, Math.max(scale, decimals)).format(s)
}
const count = (n) => numberFormat(0, 0).format(n)
/** A decimal string as a BigInt of ten-thousandths: sums and comparisons without floating point. */
function units(s) {
  if (s === null || s === undefined || s === '') return null
  const text = String(s), negative = text[0] === '-'
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.')
  const value = BigInt(whole + (fraction + '0000').slice(0, LEDGER_SCALE))
  return negative ? -value : value
}
function fromUnits(u) {
  const negative = u < 0n, digits = (negative ? -u : u).toString().padStart(LEDGER_SCALE + 1, '0')
  const fraction = digits.slice(-LEDGER_SCALE).replace(/0+$/, '')
  return (negative ? '-' : '') + digits.slice(0, -LEDGER_SCALE) + (fraction ? '.' + fraction : '')
}

let timeFormat
function when(iso) {
  if (!iso) return ''
  const d = new Date(iso)
  timeFormat ??= new Intl.DateTimeFormat(locale, { timeZone: session.scheme.timeZone, year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' })
  return '<time datetime="' + esc(d.toISOString()) + '" title="' + esc(d.toISOString().replace('T', ' ').replace('Z', ' UTC')) + '">' + esc(timeFormat.format(d)) + '</time>'
}
/** A date (yyyy-mm-dd) at the start (or end) of that day in the scheme's time zone, as an ISO instant. */
function schemeDay(date, end) {
  if (!date) return undefined
  const wall = Date.parse(date + (end ? 'T23:59:59.999Z' : 'T00:00:00.000Z'))
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: session.scheme.timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(new Date(wall)).map((p) => [p.type, p.value]))
  const asZone = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second, wall % 1000)
  return new Date(wall - (asZone - wall)).toISOString()
}

/** columns: { key, label, kind: 'money' | 'time' | 'num' | 'text', currency(row), html(row), sortable } */
function cell(c, r) {
  if (c.html) return c.html(r)
  const v = r[c.key]
  if (c.kind === 'money') return esc(money(v, c.currency ? c.currency(r) : r.currency))
  if (c.kind === 'time') return when(v)
  if (c.kind === 'num') return v === null || v === undefined ? '' : esc(count(v))
  return esc(v)
}
const numeric = (c) => c.kind === 'money' || c.kind === 'num'
function drawTable(el, columns, rows, opts = {}) {
  const sort = opts.sort
  const head = '<thead><tr>' + columns.map((c) => {
    const sorted = sort && sort.key === c.key
    const label = c.sortable === false || !opts.onSort ? esc(c.label)
      : '<button type="button" class="sort" data-sort="' + esc(c.key) + '">' + esc(c.label) + '<span aria-hidden="true">' + (sorted ? (sort.descending ? ' ▼' : ' ▲') : '') + '</span></button>'
    return '<th scope="col"' + (opts.onSort && c.sortable !== false ? ' aria-sort="' + (sorted ? (sort.descending ? 'descending' : 'ascending') : 'none') + '"' : '') + ' class="' + (numeric(c) ? 'num' : '') + '">' + label + '</th>'
  }).join('') + '</tr></thead>'
  const body = rows.length === 0 ? '<tr><td colspan="' + columns.length + '" class="empty">Nothing to show.</td></tr>'
    : rows.map((r) => '<tr>' + columns.map((c) => '<td class="' + (numeric(c) ? 'num' : '') + '" data-key="' + esc(c.key) + '"' + (c.kind === 'money' || c.kind === 'time' ? ' data-value="' + esc(r[c.key]) + '"' : '') + '>' + cell(c, r) + '</td>').join('') + '</tr>').join('')
  // Drawn again after a sort: the keyboard's focus stays on the column's button.
  const focused = el.contains(document.activeElement) ? document.activeElement.dataset.sort : undefined
  el.innerHTML = (opts.caption ? '<caption>' + esc(opts.caption) + '</caption>' : '') + head + '<tbody>' + body + '</tbody>'
  if (opts.onSort) el.querySelectorAll('button.sort').forEach((b) => { b.onclick = () => opts.onSort(b.dataset.sort) })
  if (focused) el.querySelector('button.sort[data-sort="' + focused + '"]')?.focus()
  el.querySelectorAll('[data-width]').forEach((bar) => { bar.style.width = bar.dataset.width + '%' })
}
const nextSort = (sort, key) => ({ key, descending: !!sort && sort.key === key && !sort.descending })
function compareBy(c, a, b) {
  const x = a[c.key], y = b[c.key]
  if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1
  if (y === null || y === undefined) return -1
  if (c.kind === 'money') { const d = units(x) - units(y); return d < 0n ? -1 : d > 0n ? 1 : 0 }
  if (c.kind === 'num') return Number(x) - Number(y)
  return String(x).localeCompare(String(y), locale, { numeric: true })
}
/** A table of rows already in the page: sorted by a click on a column, filtered by what is typed in the filter box. */
function localTable(el, columns, rows, filterInput, caption) {
  let sort = null
  const draw = () => {
    const q = filterInput ? filterInput.value.trim().toLowerCase() : ''
    const shown = q ? rows.filter((r) => columns.some((c) => String(r[c.key] ?? '').toLowerCase().includes(q))) : rows.slice()
    if (sort) { const c = columns.find((x) => x.key === sort.key); shown.sort((a, b) => compareBy(c, a, b) * (sort.descending ? -1 : 1)) }
    drawTable(el, columns, shown, { sort, caption, onSort: (key) => { sort = nextSort(sort, key); draw() } })
  }
  if (filterInput) filterInput.oninput = draw
  draw()
}
function pager(el, page, total, go) {
  const first = total === 0 ? 0 : page.offset + 1, last = Math.min(page.offset + page.limit, total)
  const focused = el.contains(document.activeElement) ? document.activeElement.dataset.go : undefined
  el.innerHTML = '<span class="range" aria-live="polite">Rows ' + count(first) + '–' + count(last) + ' of ' + count(total) + '</span> '
    + '<button type="button" data-go="prev"' + (page.offset === 0 ? ' disabled' : '') + '>Previous page</button> '
    + '<button type="button" data-go="next"' + (last >= total ? ' disabled' : '') + '>Next page</button>'
  el.querySelector('[data-go=prev]').onclick = () => go(Math.max(0, page.offset - page.limit))
  el.querySelector('[data-go=next]').onclick = () => go(page.offset + page.limit)
  if (focused) { const again = el.querySelector('[data-go=' + focused + ']'); (again.disabled ? el.querySelector('button:not([disabled])') : again)?.focus() }
}
function debounce(fn, ms) { let t; return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms) } }

function notice(text, error) { const n = $('notice'); n.textContent = text; n.className = error ? 'error' : 'ok' }
function confirmAction(text) {
  return new Promise((resolve) => {
    const d = $('confirm')
    $('confirm-text').textContent = text
    d.returnValue = ''
    d.onclose = () => resolve(d.returnValue === 'yes')
    d.showModal()
  })
}
/** An operator action: confirmed in the page first, then done by the admin API, the view drawn again. */
async function act(text, run) {
  if (!(await confirmAction(text))) return false
  try { await run(); notice('Done: ' + text) } catch (e) { notice('Refused: ' + e.message, true); return false }
  await route()
  return true
}

async function route() {
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/')
  const view = views[name] ? name : 'participants'
  document.querySelectorAll('main > section.view').forEach((s) => { s.hidden = s.id !== 'view-' + view })
  document.querySelectorAll('nav a').forEach((a) => { if (a.dataset.view === view) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current') })
  try { await views[view](rest.map(decodeURIComponent).join('/')) } catch (e) { if (e.message !== 'not signed in') notice(e.message, true) }
}
window.onhashchange = () => route()
`
