// Validates Kubernetes manifests (YAML documents on stdin) against the Kubernetes API's OpenAPI
// schemas, and KEDA's and the Prometheus operator's CRD schemas, as the kubernetes-models packages
// ship them: offline, no cluster needed. Prints one JSON line per document: kind, name, problem.
// An ES module of its own: those packages export ES modules only.
import { readFileSync, writeSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const PACKAGES = {
  'keda.sh': '@kubernetes-models/keda',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

async function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const module = await import(
    `${PACKAGES[group] ?? 'kubernetes-models'}/${group ? `${group}/` : ''}${version}`
  );
  if (!module[kind]) throw new Error(`no schema for ${apiVersion} ${kind}`);
  return module[kind];
}

for (const document of parseAllDocuments(readFileSync(0, 'utf8'))) {
  const manifest = document.toJS();
  if (!manifest) continue;
  let problem = null;
  try {
    const Model = await modelOf(manifest.apiVersion, manifest.kind);
    new Model(manifest).validate();
  } catch (error) {
    problem = error.message;
  }
  writeSync(1, `${JSON.stringify({ kind: manifest.kind, name: manifest.metadata?.name, problem })}\n`);
}
