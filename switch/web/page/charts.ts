// Charts over time with uPlot (served by the switch itself, chart-assets.ts): the scheme's health per hour
// (committed and failed transfers, the failure rate, p50/p99 latency) and a participant's position by hour
// against its net debit cap. Hours on the axis in the scheme's time zone. Each chart has a table beside it
// with the same numbers (the accessible reading; a chart is an image to a screen reader). Amounts are drawn
// as floating-point numbers only as pixel positions: every figure shown as text comes from the strings.
export const CHARTS_JS = String.raw`
/** One time chart in the element: x = the rows' hours, one line per series; replaces the element's last chart. */
function timeChart(el, title, hours, series) {
  if (typeof uPlot === 'undefined') { el.textContent = 'Charts are unavailable (the chart library did not load).'; return }
  if (el._chart) el._chart.destroy()
  el.setAttribute('role', 'img')
  el.setAttribute('aria-label', title + ': see the table below for the figures')
  const x = hours.map((h) => Date.parse(h) / 1000)
  const colours = ['#1d3557', '#b3401f', '#1f7a70', '#7a5c1f']
  const opts = {
    title, width: Math.max(320, Math.min(el.clientWidth || 900, 1200)), height: 220,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), session.scheme.timeZone),
    series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: colours[i % colours.length], width: 2, scale: s.scale || 'y', value: (_u, v) => v === null || v === undefined ? '' : s.format ? s.format(v) : count(v) }))],
    axes: [{}, { scale: 'y' }, ...(series.some((s) => s.scale === 'right') ? [{ scale: 'right', side: 1, grid: { show: false } }] : [])],
  }
  el._chart = new uPlot(opts, [x, ...series.map((s) => s.values)], el)
}
`
