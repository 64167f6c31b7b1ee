// The image the chart runs (Containerfile): compiled JavaScript on a small Node 24 base, production
// dependencies alone, a non-root user; the same command and heap bounds as `npm start`. Needs no helm.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { final, imageCommand, stages } from '../test/support/containerfile.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const containerfile = readFileSync(path.join(root, 'Containerfile'), 'utf8')
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'))

test('the image runs the compiled switch with node alone: no tsx, no TypeScript file', () => {
  const argv = imageCommand(containerfile)
  assert.equal(argv[0], 'node')
  assert.equal(argv.at(-1), 'dist/switch/main.js')
  assert.deepEqual(argv.filter((a) => /tsx|\.ts$/.test(a)), [])
  assert.equal(argv[argv.indexOf('--import') + 1], './dist/switch/observability/tracing-preload.js', 'tracing hooks preloaded, compiled')
})

test('npm start runs the same compiled entry with the same flags as the image', () => {
  const start: string = packageJson.scripts.start
  const run = start.split('&&').at(-1)!.trim().split(/\s+/).filter((word) => !/^[A-Z_]+=/.test(word))
  assert.deepEqual(run, imageCommand(containerfile))
  assert.match(start, /node scripts\/build\.mjs && /, 'npm start compiles first')
})

test('the image is a small Node 24 base, built in a separate stage', () => {
  const all = stages(containerfile)
  assert.ok(all.length >= 2, 'multi-stage')
  assert.match(all.at(-1)!.base, /^(node:24[\w.-]*-slim|gcr\.io\/distroless\/nodejs24[\w.-]*)(@sha256:[0-9a-f]{64})?$/)
  const build = all.find((s) => s.instructions.some(([k, text]) => k === 'RUN' && text.includes('scripts/build.mjs')))
  assert.ok(build && build !== all.at(-1), 'a build stage compiles')
})

test('the image holds dist/ and production dependencies only: no sources, no tsx', () => {
  const copies = final(containerfile, 'COPY')
  const copied = copies.map((c) => c.split(/\s+/).filter((w) => !w.startsWith('--from=')))
  assert.deepEqual(copied.filter(([from]) => ['switch', 'ledger', 'adapters', 'tsconfig.json'].includes(from!)), [], 'no TypeScript sources')
  const modules = copies.find((c) => /\/node_modules\s/.test(c))
  assert.ok(modules, 'node_modules from another stage')
  const modulesStage = stages(containerfile).find((s) => s.name === /--from=(\S+)/.exec(modules)![1])!
  assert.ok(modulesStage.instructions.some(([k, text]) => k === 'RUN' && /npm ci\b.*--omit=dev/.test(text)), 'installed without development dependencies')
  assert.equal(packageJson.dependencies.tsx, undefined, 'tsx is a development dependency')
  assert.equal(lock.packages['node_modules/tsx'].dev, true, 'and the lockfile says so, so npm ci --omit=dev leaves it out')
  assert.equal(lock.packages['node_modules/esbuild'].dev, true)
  assert.ok(!final(containerfile, 'RUN').some((r) => /tsx|tsc\b|npm run build/.test(r)), 'nothing compiles in the image itself')
  assert.ok(copied.some(([from, to]) => from === 'package.json' && (to === './' || to === 'package.json')), 'package.json beside dist/: its "type": "module" makes the .js files ES modules')
  assert.equal(packageJson.type, 'module')
})

test('the image runs as a non-root user given by number', () => {
  const user = final(containerfile, 'USER').at(-1)
  assert.ok(user, 'USER in the last stage')
  const [uid, gid] = user.split(':')
  assert.match(uid!, /^\d+$/)
  assert.notEqual(Number(uid), 0)
  if (gid !== undefined) assert.notEqual(Number(gid), 0)
  const cmdIndex = stages(containerfile).at(-1)!.instructions.findIndex(([k]) => k === 'CMD')
  const userIndex = stages(containerfile).at(-1)!.instructions.findIndex(([k]) => k === 'USER')
  assert.ok(userIndex < cmdIndex, 'before the command')
})
