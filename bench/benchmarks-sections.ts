// BENCHMARKS.md in sections a partial run (BENCH_PHASES) can replace one by one: each phase set's section
// sits between `<!-- bench:ID -->` and `<!-- /bench:ID -->`. A partial run replaces the sections of the phases
// it ran, appends the ones the file does not have yet, and leaves everything else as it was.

export interface Section {
  id: string
  markdown: string
}

const open = (id: string) => `<!-- bench:${id} -->`
const close = (id: string) => `<!-- /bench:${id} -->`

/** A section's markdown between its markers. */
export function marked(s: Section): string {
  return `${open(s.id)}\n${s.markdown.trim()}\n${close(s.id)}\n`
}

/** `existing` with each section replaced where it is marked, or appended at the end where it is not. */
export function mergeSections(existing: string, sections: readonly Section[]): string {
  let text = existing
  for (const s of sections) {
    const from = text.indexOf(open(s.id))
    const to = text.indexOf(close(s.id), from)
    if (from >= 0 && to > from) {
      const end = to + close(s.id).length
      text = `${text.slice(0, from)}${marked(s).trimEnd()}${text.slice(end)}`
    } else {
      text = `${text.trimEnd()}\n\n${marked(s)}`
    }
  }
  return text.endsWith('\n') ? text : `${text}\n`
}
