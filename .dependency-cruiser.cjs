// Dependency rules, checked by `npm run lint` (and so by `npm test`). Known violations that wait for the
// feature-folder move (switch/pipeline and its neighbours) are in .dependency-cruiser-known-violations.json,
// generated with `depcruise --config .dependency-cruiser.cjs --output-type baseline ledger switch adapters test bench scripts bin helm > .dependency-cruiser-known-violations.json`;
// it should only ever shrink.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No cycles between files (type-only imports included: they are still a design cycle).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'ledger-domain-is-pure',
      severity: 'error',
      comment: 'ledger/domain imports only decimal.js, Node built-ins and itself.',
      from: { path: '^ledger/domain/' },
      to: { dependencyTypesNot: ['core'], pathNot: ['^ledger/domain/', '^node_modules/decimal\\.js/'] },
    },
    {
      name: 'ledger-not-above',
      severity: 'error',
      comment: 'The ledger knows nothing of the switch or the adapters.',
      from: { path: '^ledger/' },
      to: { path: '^(switch|adapters)/' },
    },
    {
      name: 'adapters-through-public-apis',
      severity: 'error',
      comment: 'Adapters are DFSP-side: they speak FSPIOP over HTTP and share only protocol code, not switch internals.',
      from: { path: '^adapters/' },
      to: { path: '^switch/' },
    },
    {
      name: 'protocol-is-shared',
      severity: 'error',
      comment: 'protocol/ holds wire-format code the switch and the adapters share (ADR 0015, 0018): it imports neither, nor the ledger.',
      from: { path: '^protocol/' },
      to: { path: '^(ledger|switch|adapters)/' },
    },
    {
      name: 'production-not-on-tests',
      severity: 'error',
      comment: 'Production code does not import test support.',
      from: { path: '^(ledger|switch|adapters|protocol)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
}
