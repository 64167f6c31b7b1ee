// Reads a Containerfile's stages and instructions, for the tests of the image's rules (no image is built
// here: there is no container runtime on the test machines).

export interface Stage {
  /** The image of its FROM line. */
  base: string
  name?: string
  /** Its instructions after FROM, continuation lines joined: [keyword (upper case), rest]. */
  instructions: [string, string][]
}

export function stages(containerfile: string): Stage[] {
  const lines = containerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
  const result: Stage[] = []
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/)
    const text = line.slice(keyword.length).trim()
    if (keyword.toUpperCase() === 'FROM') {
      const alias = /\s+AS\s+(\S+)$/i.exec(text)
      result.push({ base: rest[0]!, name: alias?.[1], instructions: [] })
    } else {
      const stage = result.at(-1)
      if (!stage) throw new Error(`Containerfile: ${keyword} before the first FROM`)
      stage.instructions.push([keyword.toUpperCase(), text])
    }
  }
  return result
}

/** The last stage's instructions of a kind. */
export function final(containerfile: string, keyword: string): string[] {
  return (stages(containerfile).at(-1)?.instructions ?? []).filter(([k]) => k === keyword).map(([, text]) => text)
}

/** The image's command: the last stage's last CMD, in exec (JSON array) form. */
export function imageCommand(containerfile: string): string[] {
  const cmd = final(containerfile, 'CMD').at(-1)
  if (!cmd) throw new Error('Containerfile: no CMD in the last stage')
  const argv: unknown = JSON.parse(cmd)
  if (!Array.isArray(argv) || !argv.every((a) => typeof a === 'string')) throw new Error('Containerfile: CMD is not in exec form')
  return argv
}
