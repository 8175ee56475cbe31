/**
 * The layering of Jibao, checked in CI (`npm run lint:deps`). See docs/ARCHITECTURE.md, "Layers".
 *   src/floor    — context, clock, errors, i18n, registration log, outbox, signals, timers, rule sets, command
 *                  runner, HTTP types: imports no module and never the server
 *   src/modules  — domain modules: import the floor and each other, never the server
 *   src/server   — composes everything (app, routes, workers, start-up)
 *   src/contract — what the server and the web app share (live-message types, validation issues): plain
 *                  TypeScript with no imports, used by the floor, the modules, the server and src/web
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: split the shared part into the floor or a smaller module.',
      from: { path: '^src/(floor|modules|server|db)' },
      to: { circular: true },
    },
    {
      name: 'floor-is-the-bottom',
      severity: 'error',
      comment: 'The floor is used by every module and imports none of them (nor the server).',
      from: { path: '^src/floor' },
      to: { path: '^src/(modules|server|web)' },
    },
    {
      name: 'modules-never-import-the-server',
      severity: 'error',
      comment: 'Modules export their routes, timers and workers; src/server composes them.',
      from: { path: '^src/modules', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/server' },
    },
    {
      name: 'routes-hold-no-sql',
      severity: 'error',
      comment: 'A *.routes.ts file validates and calls a service; SQL belongs in a repository.',
      // the first release's routes that still hold SQL: remove each as its queries move to a repository
      from: {
        path: '\\.routes\\.ts$',
        pathNot: [
          'src/modules/units/units\\.routes\\.ts$',
          'src/modules/notify/notify\\.routes\\.ts$',
          'src/modules/emergency/emergency\\.routes\\.ts$',
          'src/modules/duty/duty\\.routes\\.ts$',
          'src/modules/auth/auth\\.routes\\.ts$',
          'src/modules/accountability/accountability\\.routes\\.ts$',
        ],
      },
      to: { path: ['node_modules/drizzle-orm', 'node_modules/pg/', '^src/db/'] },
    },
    {
      name: 'contract-is-plain',
      severity: 'error',
      comment:
        'src/contract is shared with the browser: plain types and constants, importing nothing (no zod, no node).',
      from: { path: '^src/contract' },
      to: { pathNot: '^src/contract' },
    },
    {
      name: 'web-is-the-client',
      severity: 'error',
      comment: 'The web app talks to the server over HTTP only (and shares the plain types of src/contract).',
      from: { path: '^src/web' },
      to: { path: '^src/(floor|modules|server|db)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
