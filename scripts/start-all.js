#!/usr/bin/env node
// Runs the seven services locally, each as its own process, from the compiled dist/ folder.
// Every log line is prefixed with the service name (and each JSON line also carries "service").
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const concurrently = require('concurrently');

const root = join(__dirname, '..');
const schema = join(root, 'dist', 'libs', 'config', 'src', 'config.schema.js');
if (!existsSync(schema)) {
  console.error(`${schema} is missing: run \`npm run build\` first`);
  process.exit(1);
}
const { SERVICE_NAMES: services } = require(schema);
for (const service of services) {
  const entry = join(root, 'dist', 'apps', service, 'src', 'main.js');
  if (!existsSync(entry)) {
    console.error(`${entry} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
}
if (!process.env.SNAPEX_CONFIG && !existsSync(join(process.cwd(), 'snapex.yaml'))) {
  console.error(
    'No configuration: set SNAPEX_CONFIG or create ./snapex.yaml (see deploy/snapex.example.yaml)',
  );
  process.exit(1);
}
const { result } = concurrently(
  services.map((name) => ({
    name,
    command: `node ${join('dist', 'apps', name, 'src', 'main.js')}`,
    cwd: root,
  })),
  { prefix: 'name', killOthers: ['failure'], restartTries: 0 },
);
result.then(
  () => process.exit(0),
  () => process.exit(1),
);
