// A CPU profile of this process (the load generator and the DFSPs), in the same .cpuprofile format as
// `node --cpu-prof` writes for the switch: open either in Chrome DevTools or summarise with
// `node --import tsx bench/profile-summary.ts FILE`.
import { Session } from 'node:inspector/promises'
import { writeFile } from 'node:fs/promises'
import { readdirSync, renameSync, statSync } from 'node:fs'
import path from 'node:path'

export async function startSelfProfile(): Promise<{ stop(file: string): Promise<string> }> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop')
      await writeFile(file, JSON.stringify(profile))
      session.disconnect()
      return file
    },
  }
}

/** `node --cpu-prof` writes one CPU.*.cpuprofile per thread: names the main thread's (the largest) switch.cpuprofile. */
export function nameSwitchProfile(dir: string): string {
  const files = readdirSync(dir).filter((f) => /^CPU\..*\.cpuprofile$/.test(f)).map((f) => path.join(dir, f))
  if (files.length === 0) return 'none written'
  const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0]!
  const target = path.join(dir, 'switch.cpuprofile')
  renameSync(largest, target)
  return target
}
