// Tells whoever caches participant data (names, accounts, limits, endpoints, keys) that an operator
// changed a participant. The admin API calls changed(name) after each committed write; caches listen.
import { EventEmitter } from 'node:events'

export interface ParticipantChanges {
  changed(name: string): void
  onChange(listener: (name: string) => void): () => void
}

export function createParticipantChanges(): ParticipantChanges {
  const emitter = new EventEmitter()
  emitter.setMaxListeners(100)
  return {
    changed: (name) => void emitter.emit('changed', name),
    onChange(listener) {
      emitter.on('changed', listener)
      return () => void emitter.off('changed', listener)
    },
  }
}
