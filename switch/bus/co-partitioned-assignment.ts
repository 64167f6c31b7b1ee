// Which member of a consumer group owns which partitions, so that each key has one owner across all the
// group's topics: the position group reads transfer.prepare and transfer.position, both keyed by the payer's
// position account (key-partition.ts), and partition p of every topic goes to the same member. Members are
// sorted by id (every leader computes the same answer) and partition p goes to member p mod n: balanced
// within one partition number, and the same rule for topics of any partition count. A member beyond the
// partition count gets nothing: replicas beyond the partitions stand by.

export interface TopicPartitions {
  topic: string
  /** The topic's partition ids (0 … count-1 on Kafka). */
  partitions: readonly number[]
}

/** memberId → topic → its partitions of that topic (every member and every topic listed, possibly empty). */
export type GroupAssignment = Map<string, Record<string, number[]>>

/** The member that owns partition `partition` of every topic, among `sortedMembers`. */
export function ownerOfPartition(sortedMembers: readonly string[], partition: number): string {
  if (sortedMembers.length === 0) throw new Error('a group without members owns no partitions')
  return sortedMembers[partition % sortedMembers.length]!
}

export function coPartitionedAssignment(memberIds: readonly string[], topics: readonly TopicPartitions[]): GroupAssignment {
  const sorted = [...new Set(memberIds)].sort()
  const assignment: GroupAssignment = new Map(sorted.map((m) => [m, Object.fromEntries(topics.map((t) => [t.topic, [] as number[]]))]))
  if (sorted.length === 0) return assignment
  for (const { topic, partitions } of topics) {
    for (const partition of [...partitions].sort((a, b) => a - b)) assignment.get(ownerOfPartition(sorted, partition))![topic]!.push(partition)
  }
  return assignment
}
