/** Import direction rules from ../shared/STYLE.md, checked in CI. */
module.exports = {
  forbidden: [
    { name: 'core-is-wire-free', severity: 'error', comment: 'core/ never imports protocol/, server/, services/ or providers/',
      from: { path: '^src/core/' }, to: { path: '^src/(protocol|server|services|providers|storage)/' } },
    { name: 'providers-are-independent', severity: 'error',
      comment: 'a provider never imports another provider; backends that speak the OpenAI protocol configure the openai-compatible base (STYLE §6)',
      from: { path: '^src/providers/([^/]+)/' }, to: { path: '^src/providers/([^/]+)/', pathNot: ['^src/providers/$1/', '^src/providers/shared/', '^src/providers/openai-compatible/'] } },
    { name: 'providers-below-services', severity: 'error', comment: 'providers do not know the HTTP server or the service handlers',
      from: { path: '^src/providers/' }, to: { path: '^src/(server|services)/' } },
    { name: 'protocol-is-leaf', severity: 'error', comment: 'protocol/ knows only the wire and core errors',
      from: { path: '^src/protocol/' }, to: { path: '^src/(server|services|providers|storage)/' } },
    { name: 'services-not-server', severity: 'error', comment: 'handlers do not reach into the server',
      from: { path: '^src/services/' }, to: { path: '^src/server/' } },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
