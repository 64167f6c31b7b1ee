#!/usr/bin/env node
// `agora` command, however it is started (`npx agora`, an installed bin, `npm run agora`): runs the
// TypeScript CLI through tsx. npm and npx put the project's Node 24 first on PATH.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../switch/cli/agora.ts')
main(process.argv.slice(2)).then(
  (code) => { if (code >= 0) process.exitCode = code },
  (error) => {
    console.error(`agora: ${error.message}`)
    process.exitCode = 1
  },
)
