// Who owns what in a consumer group, as the Kafka coordinator describes it: the group's state and protocol,
// and each member's client id and assigned partitions (decoded from the assignment the leader sent).
import kafkajs from 'kafkajs'

export interface GroupMember {
  memberId: string
  clientId: string
  /** topic → partitions. */
  assignment: Record<string, number[]>
}

export interface GroupDescription {
  state: string
  protocol: string
  members: GroupMember[]
}

export async function describeGroup(brokers: string[], groupId: string): Promise<GroupDescription> {
  const admin = new kafkajs.Kafka({ clientId: 'agora-scale-out-check', brokers, logLevel: kafkajs.logLevel.NOTHING }).admin()
  await admin.connect()
  try {
    const { groups } = await admin.describeGroups([groupId])
    const group = groups[0]!
    return {
      state: group.state, protocol: group.protocol,
      members: group.members.map((m) => ({
        memberId: m.memberId, clientId: m.clientId,
        assignment: m.memberAssignment.length > 0 ? (kafkajs.AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {}) : {},
      })),
    }
  } finally {
    await admin.disconnect()
  }
}

/** Polls until `ok` holds of the group's description; the description, or an error saying the last one seen. */
export async function waitForGroup(brokers: string[], groupId: string, ok: (g: GroupDescription) => boolean, timeout_ms: number): Promise<GroupDescription> {
  const deadline = Date.now() + timeout_ms
  let last: GroupDescription | undefined
  while (Date.now() < deadline) {
    last = await describeGroup(brokers, groupId).catch(() => last)
    if (last && ok(last)) return last
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`consumer group ${groupId} never reached the expected assignment; last seen: ${JSON.stringify(last)}`)
}
