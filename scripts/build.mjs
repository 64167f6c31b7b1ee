// `npm run build`: compiles switch, ledger and adapters to dist/ (tsconfig.build.json, incremental: a few
// seconds when little changed) and copies the files the code reads beside itself at run time (the ISO
// 20022 schemas). Then stamps dist/.built, which bin/agora.mjs compares with the sources' times.
import { spawnSync } from 'node:child_process'
import { cpSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** Folders of non-code files read at run time relative to the module that reads them. */
const ASSETS = ['adapters/iso20022-bank/xsd']

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' })
if (compiled.status !== 0) {
  console.error('build: tsc failed; dist/ is not up to date')
  process.exit(compiled.status ?? 1)
}
for (const folder of ASSETS) cpSync(path.join(root, folder), path.join(root, 'dist', folder), { recursive: true })
writeFileSync(path.join(root, 'dist', '.built'), `${new Date().toISOString()}\n`)
