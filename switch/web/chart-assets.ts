// uPlot (npm `uplot`, a small dependency-free time-series chart), served by the switch itself so the web
// view loads nothing from outside: its minified script and style, read once, cached by the browser for a
// day (the version is in the path's query string of the page, so an upgrade is fetched at once).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { FastifyInstance } from 'fastify'

const require = createRequire(import.meta.url)
const UPLOT_DIR = join(dirname(require.resolve('uplot/package.json')), 'dist')
export const UPLOT_VERSION = (require('uplot/package.json') as { version: string }).version
export const UPLOT_SCRIPT_PATH = '/ui/assets/uplot.js'
export const UPLOT_STYLE_PATH = '/ui/assets/uplot.css'
const CACHE_S = 86_400

export function chartAssetRoutes(app: FastifyInstance): void {
  const script = readFileSync(join(UPLOT_DIR, 'uPlot.iife.min.js'))
  const style = readFileSync(join(UPLOT_DIR, 'uPlot.min.css'))
  app.get(UPLOT_SCRIPT_PATH, async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', `public, max-age=${CACHE_S}`).send(script))
  app.get(UPLOT_STYLE_PATH, async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', `public, max-age=${CACHE_S}`).send(style))
}
