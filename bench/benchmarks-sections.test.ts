import { test } from 'node:test'
import assert from 'node:assert/strict'
import { marked, mergeSections } from './benchmarks-sections.ts'

const file = `# Benchmarks\n\nfull run table\n\n${marked({ id: 'split', markdown: '## Split (old)\nold numbers' })}\n## All targets met\n`

test('a partial run replaces the section of the phase it ran and leaves the rest of the file as it was', () => {
  const merged = mergeSections(file, [{ id: 'split', markdown: '## Split (new)\nnew numbers' }])
  assert.ok(merged.includes('new numbers'))
  assert.ok(!merged.includes('old numbers'))
  assert.equal(merged.replace(/<!-- bench:split -->[\s\S]*<!-- \/bench:split -->/, 'X'), file.replace(/<!-- bench:split -->[\s\S]*<!-- \/bench:split -->/, 'X'))
})

test('a section the file does not have yet is appended; one run twice is still one section', () => {
  const once = mergeSections(file, [{ id: 'g2p', markdown: '## G2P\nfirst' }])
  assert.ok(once.startsWith(file.trimEnd()))
  const twice = mergeSections(once, [{ id: 'g2p', markdown: '## G2P\nsecond' }])
  assert.equal(twice.match(/<!-- bench:g2p -->/g)?.length, 1)
  assert.ok(twice.includes('second') && !twice.includes('first'))
  assert.ok(twice.includes('old numbers'), 'the split section is untouched')
})

test('a file without any sections (or no file) gets them appended', () => {
  assert.equal(mergeSections('', [{ id: 'g2p', markdown: 'x' }]), '\n\n<!-- bench:g2p -->\nx\n<!-- /bench:g2p -->\n')
})
