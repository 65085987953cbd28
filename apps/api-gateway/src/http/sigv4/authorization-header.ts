import { Fault } from '@snapex/contracts';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

export interface CredentialScope {
  date: string;
  region: string;
  service: string;
  terminator: string;
}

/** The parts of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. */
export interface SigV4Authorization {
  accessKeyId: string;
  scope: CredentialScope;
  signedHeaders: string[];
  signature: string;
}

/** Any AWS4 algorithm, so that a request signed some other AWS way is told why it is refused. */
export function isSigV4Authorization(header: string | undefined): header is string {
  return header !== undefined && /^AWS4-/.test(header.trim());
}

export function parseAuthorization(header: string): SigV4Authorization {
  const [algorithm, ...rest] = header.trim().split(/\s+/);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'. Sign requests with ${SIGV4_ALGORITHM}.`);
  }
  const parameters = parametersOf(rest.join(' '));
  return {
    ...credentialOf(required(parameters, 'Credential')),
    signedHeaders: signedHeadersOf(required(parameters, 'SignedHeaders')),
    signature: signatureOf(required(parameters, 'Signature')),
  };
}

function parametersOf(text: string): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const part of text.split(',')) {
    const separator = part.indexOf('=');
    if (separator > 0) parameters.set(part.slice(0, separator).trim(), part.slice(separator + 1).trim());
  }
  return parameters;
}

function required(parameters: Map<string, string>, name: string): string {
  const value = parameters.get(name);
  if (!value) throw incomplete(`Authorization header requires '${name}' parameter.`);
  return value;
}

function credentialOf(credential: string): Pick<SigV4Authorization, 'accessKeyId' | 'scope'> {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.some((part) => part.length === 0)) {
    throw incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'.`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts;
  return { accessKeyId, scope: { date, region, service, terminator } };
}

function signedHeadersOf(list: string): string[] {
  const names = list.split(';');
  if (names.some((name) => !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name))) {
    throw incomplete(`SignedHeaders must be lower-case header names separated by semicolons, got '${list}'.`);
  }
  return names;
}

function signatureOf(signature: string): string {
  if (!/^[0-9a-f]{64}$/.test(signature)) {
    throw incomplete('Signature must be 64 lower-case hexadecimal characters.');
  }
  return signature;
}

function incomplete(message: string): Fault {
  return new Fault('IncompleteSignature', message);
}
