// Fails when folders import each other in a circle (a → b → … → a), which dependency-cruiser's
// `no-circular` (files only) does not see. Reads dependency-cruiser's JSON on stdin; test files and
// test/ are left out (tests may reach across). Folder cycles still waiting for the pipeline's feature-folder
// move are listed in KNOWN, to be emptied; a known cycle that disappears is reported so the list shrinks.
import { readFileSync } from 'node:fs'

const KNOWN = new Set(JSON.parse(readFileSync(new URL('./folder-cycles-known.json', import.meta.url), 'utf8')))
const isProduction = (path) => !path.endsWith('.test.ts') && !path.startsWith('test/') && !path.startsWith('node_modules/')
const folderOf = (path) => path.slice(0, path.lastIndexOf('/')) || '.'

const { modules } = JSON.parse(readFileSync(0, 'utf8'))
const edges = new Map()
for (const m of modules) {
  if (!isProduction(m.source)) continue
  for (const d of m.dependencies) {
    if (!isProduction(d.resolved) || d.coreModule) continue
    const from = folderOf(m.source)
    const to = folderOf(d.resolved)
    if (from === to) continue
    if (!edges.has(from)) edges.set(from, new Set())
    edges.get(from).add(to)
  }
}

// Tarjan's strongly connected components: every component of more than one folder is a cycle.
let index = 0
const indices = new Map()
const lows = new Map()
const stack = []
const onStack = new Set()
const components = []
function visit(v) {
  indices.set(v, index)
  lows.set(v, index++)
  stack.push(v)
  onStack.add(v)
  for (const w of edges.get(v) ?? []) {
    if (!indices.has(w)) {
      visit(w)
      lows.set(v, Math.min(lows.get(v), lows.get(w)))
    } else if (onStack.has(w)) lows.set(v, Math.min(lows.get(v), indices.get(w)))
  }
  if (lows.get(v) === indices.get(v)) {
    const component = []
    let w
    do {
      w = stack.pop()
      onStack.delete(w)
      component.push(w)
    } while (w !== v)
    if (component.length > 1) components.push(component.sort().join(' ⇄ '))
  }
}
for (const v of edges.keys()) if (!indices.has(v)) visit(v)

const fresh = components.filter((c) => !KNOWN.has(c))
const gone = [...KNOWN].filter((c) => !components.includes(c))
for (const c of gone) console.log(`folder cycle gone, remove it from scripts/folder-cycles-known.json: ${c}`)
for (const c of fresh) console.log(`folder cycle: ${c}`)
if (fresh.length > 0) process.exit(1)
console.log(`no new folder cycles (${components.length} known)`)
