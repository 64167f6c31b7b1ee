// kafkajs 2.2.4 schedules setTimeout with a negative delay in its request throttling; Node 24 turns that
// into a TimeoutNegativeWarning on every start. The timer still fires at once, as intended. Drop just
// that warning so real ones stay visible.
const emitWarning = process.emitWarning.bind(process)
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const name = typeof warning === 'string' ? rest[0] : warning.name
  if (name === 'TimeoutNegativeWarning' || (typeof rest[0] === 'object' && (rest[0] as { type?: string })?.type === 'TimeoutNegativeWarning')) return
  ;(emitWarning as (...args: unknown[]) => void)(warning, ...rest)
}) as typeof process.emitWarning
