// `npm run build`: compiles switch, ledger, adapters and protocol to dist/ (tsconfig.build.json, incremental: a few
// seconds when little changed) and copies the files the code reads beside itself at run time (the ISO
// 20022 schemas of the bank connector and of disbursements). tsc leaves the output of a deleted source behind, so compiled files without a source are
// removed (a deleted migration must not run from dist/). Then stamps dist/.built, which bin/agora.mjs
// compares with the sources' times.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** Folders of non-code files read at run time relative to the module that reads them. */
const ASSETS = ['adapters/iso20022-bank/xsd', 'switch/disbursements/xsd']
const SOURCE_FOLDERS = ['switch', 'ledger', 'adapters', 'protocol']
/** What tsconfig.build.json leaves out (its "exclude"). */
const NOT_COMPILED = /\.(test|contract|d)\.ts$/

/** Deletes dist/'s .js and .js.map files whose .ts source is gone or is not compiled. */
function removeOrphans(folder) {
  const out = path.join(root, 'dist', folder)
  if (!existsSync(out)) return
  for (const entry of readdirSync(out, { withFileTypes: true })) {
    const relative = path.join(folder, entry.name)
    if (entry.isDirectory()) {
      removeOrphans(relative)
      continue
    }
    const compiled = /^(.+)\.js(\.map)?$/.exec(relative)
    if (!compiled) continue
    const source = `${compiled[1]}.ts`
    if (!existsSync(path.join(root, source)) || NOT_COMPILED.test(source)) rmSync(path.join(root, 'dist', relative))
  }
}

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' })
if (compiled.status !== 0) {
  console.error('build: tsc failed; dist/ is not up to date')
  process.exit(compiled.status ?? 1)
}
for (const folder of SOURCE_FOLDERS) removeOrphans(folder)
for (const folder of ASSETS) cpSync(path.join(root, folder), path.join(root, 'dist', folder), { recursive: true })
writeFileSync(path.join(root, 'dist', '.built'), `${new Date().toISOString()}\n`)
