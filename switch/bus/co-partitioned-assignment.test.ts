// The co-partitioned assignment: for any member and partition count, partition p of every topic has
// exactly one owner, the same for all topics, and the partition numbers are balanced within one.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { coPartitionedAssignment } from './co-partitioned-assignment.ts'

const range = (n: number) => Array.from({ length: n }, (_, i) => i)
const memberIds = (n: number) => range(n).map((i) => `agora-${(i * 7919) % 101}-${i}`)

test('co-partitioned assignment: every partition number of every topic has exactly one owner, the same member for all topics', () => {
  for (const members of range(9).map((i) => i + 1)) {
    for (const partitions of range(13).map((i) => i + 1)) {
      // Topics of the same partition count and one of fewer partitions: p still goes to the same member.
      const topics = [{ topic: 'prepare', partitions: range(partitions) }, { topic: 'position', partitions: range(partitions) }, { topic: 'fewer', partitions: range(Math.ceil(partitions / 2)) }]
      const assignment = coPartitionedAssignment(memberIds(members), topics)
      assert.equal(assignment.size, members, 'every member is answered, with nothing when it has no partition')
      for (const { topic, partitions: ids } of topics) {
        for (const p of ids) {
          const owners = [...assignment].filter(([, owned]) => owned[topic]!.includes(p)).map(([m]) => m)
          const ownersInPrepare = [...assignment].filter(([, owned]) => owned.prepare!.includes(p)).map(([m]) => m)
          assert.equal(owners.length, 1, `${members} members, ${partitions} partitions: ${topic}[${p}] has ${owners.length} owners`)
          assert.deepEqual(owners, ownersInPrepare, `${members} members, ${partitions} partitions: ${topic}[${p}] and prepare[${p}] have one owner`)
        }
      }
      const counts = [...assignment.values()].map((owned) => owned.prepare!.length)
      assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `${members} members, ${partitions} partitions: balanced within one (${counts})`)
      assert.equal(counts.filter((c) => c > 0).length, Math.min(members, partitions), 'members beyond the partition count stand by')
    }
  }
})

test('co-partitioned assignment: the answer depends on the members, not the order the group lists them in', () => {
  const topics = [{ topic: 'prepare', partitions: range(5) }, { topic: 'position', partitions: [4, 2, 0, 3, 1] }]
  const members = memberIds(3)
  const forward = coPartitionedAssignment(members, topics)
  const reversed = coPartitionedAssignment([...members].reverse(), topics)
  assert.deepEqual(Object.fromEntries(reversed), Object.fromEntries(forward))
  for (const owned of forward.values()) assert.deepEqual(owned.position, owned.prepare, 'partitions listed in order, the same in both topics')
})

test('co-partitioned assignment: a group without members owns nothing, and a lone member owns every partition', () => {
  assert.equal(coPartitionedAssignment([], [{ topic: 't', partitions: range(3) }]).size, 0)
  assert.deepEqual(coPartitionedAssignment(['only'], [{ topic: 't', partitions: range(3) }]).get('only'), { t: [0, 1, 2] })
})
