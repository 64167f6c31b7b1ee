import { test } from 'node:test'
import assert from 'node:assert/strict'
import { endpointUrlProblem } from './endpoint-url.ts'

test('http: and https: endpoints are accepted, Mojaloop\'s {{...}} templates included', () => {
  for (const ok of ['http://dfsp.example/transfers/{{transferId}}', 'https://dfsp.example:8443/parties/{{partyIdType}}/{{partyIdentifier}}/error', 'HTTP://dfsp.example', 'http://10.0.0.5:4000']) {
    assert.equal(endpointUrlProblem(ok), undefined, ok)
  }
})

test('file:, ftp:, javascript:, data: and what is not a URL are refused, saying why', () => {
  assert.equal(endpointUrlProblem('file:///etc/passwd'), 'endpoint scheme file: is not allowed; it must be an http: or https: URL')
  for (const bad of ['ftp://dfsp.example/x', 'javascript:alert(1)', 'data:text/plain,hi', 'gopher://x', 'ws://dfsp.example']) {
    assert.match(endpointUrlProblem(bad) ?? '', /is not allowed; it must be an http: or https: URL/, bad)
  }
  assert.match(endpointUrlProblem('dfsp.example/transfers') ?? '', /is not a URL/)
  assert.match(endpointUrlProblem('{{transferId}}') ?? '', /is not a URL/)
})
