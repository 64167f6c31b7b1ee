// The co-partitioned assignment (co-partitioned-assignment.ts) as a kafkajs partition assigner: the group's
// leader computes it from the topics' partition metadata. Every consumer of the switch offers it first and
// kafkajs' round robin second: while an older release (round robin only) is still a member during a rolling
// upgrade, the group agrees on round robin; once every member offers this one, the group uses it.
import kafkajs, { type PartitionAssigner } from 'kafkajs'
import { coPartitionedAssignment } from './co-partitioned-assignment.ts'

/** The group protocol's name, as the join events and `kafka-consumer-groups --describe` show it. */
export const CO_PARTITIONED_PROTOCOL = 'AgoraCoPartitioned'
const VERSION = 0

export const coPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: CO_PARTITIONED_PROTOCOL,
  version: VERSION,
  async assign({ members, topics }) {
    const partitions = topics.map((topic) => ({ topic, partitions: cluster.findTopicPartitionMetadata(topic).map((m) => m.partitionId) }))
    const assignment = coPartitionedAssignment(members.map((m) => m.memberId), partitions)
    return [...assignment].map(([memberId, owned]) => ({
      memberId,
      memberAssignment: kafkajs.AssignerProtocol.MemberAssignment.encode({ version: VERSION, assignment: owned, userData: Buffer.alloc(0) }),
    }))
  },
  protocol({ topics }) {
    return { name: CO_PARTITIONED_PROTOCOL, metadata: kafkajs.AssignerProtocol.MemberMetadata.encode({ version: VERSION, topics, userData: Buffer.alloc(0) }) }
  },
})

/** What every consumer of the switch offers, most preferred first. */
export const SWITCH_PARTITION_ASSIGNERS: PartitionAssigner[] = [coPartitionedAssigner, kafkajs.PartitionAssigners.roundRobin]
