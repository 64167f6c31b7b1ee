#!/usr/bin/env node
// `agora` command: runs the TypeScript CLI through tsx (npm puts the project's Node 24 first on PATH).
import { register } from 'tsx/esm/api'

register()
await import('../switch/cli/agora.ts')
