#!/usr/bin/env node
// `agora` command, however it is started (`npx agora`, an installed bin, `npm run agora`, the image): runs
// the compiled CLI (dist/, `npm run build`) when it was built after the last change to the sources, else
// the TypeScript sources through tsx (a development dependency; a fresh clone has no dist/). The image has
// dist/ and no sources. npm and npx put the project's Node 24 first on PATH.
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SOURCE_FOLDERS = ['switch', 'ledger', 'adapters', 'protocol']

/** The newest modification time of the compiled code's sources (0 where there are none, as in the image). */
function newestSource_ms() {
  let newest = 0
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(file)
      else newest = Math.max(newest, statSync(file).mtimeMs)
    }
  }
  for (const folder of SOURCE_FOLDERS) if (existsSync(path.join(root, folder))) walk(path.join(root, folder))
  return newest
}

function compiledIsCurrent() {
  const stamp = path.join(root, 'dist', '.built')
  return existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource_ms()
}

async function loadCli() {
  if (compiledIsCurrent()) return import('../dist/switch/cli/agora.js')
  const { register } = await import('tsx/esm/api')
  register()
  return import('../switch/cli/agora.ts')
}

const { main } = await loadCli()
main(process.argv.slice(2)).then(
  (code) => { if (code >= 0) process.exitCode = code },
  (error) => {
    console.error(`agora: ${error.message}`)
    process.exitCode = 1
  },
)
