import { createHash, timingSafeEqual } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { Fault } from '@snapex/contracts';
import { AccessKey, AccessKeyDirectory } from './access-keys';
import { parseAuthorization, SigV4Authorization } from './authorization-header';

/** How far a request's X-Amz-Date may be from the server's clock, either way, as AWS allows. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** snapex answers as RDS does, so callers sign for RDS. */
export const SIGNING_SERVICE = 'rds';
const SCOPE_TERMINATOR = 'aws4_request';
const PAYLOAD_HASH_HEADER = 'x-amz-content-sha256';

/** The request as received: method, the URL before any routing touched it, and the headers. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface SignedCaller {
  key: AccessKey;
  authorization: SigV4Authorization;
  signingDate: Date;
}

/**
 * Authenticates requests signed with AWS Signature Version 4, the way AWS does: it computes the
 * signature the caller should have sent, with the caller's secret and the request as received, and
 * compares. The signing itself is the maintained @smithy/signature-v4 implementation the SDKs use.
 */
export class SignatureV4Authenticator {
  constructor(
    private readonly keys: AccessKeyDirectory,
    private readonly region: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Checks what the headers alone tell (the key, the time, the scope) before the body is read. */
  identify(headers: IncomingHttpHeaders): SignedCaller {
    const authorization = parseAuthorization(headers.authorization ?? '');
    const key = this.keys.find(authorization.accessKeyId);
    // Temporary credentials are never issued here, so a session token cannot be valid.
    if (!key || headers['x-amz-security-token'] !== undefined) {
      throw new Fault('InvalidClientTokenId', 'The security token included in the request is invalid.');
    }
    const amzDate = amzDateOf(headers);
    const signingDate = parseAmzDate(amzDate);
    this.checkFreshness(amzDate, signingDate);
    this.checkScope(authorization, amzDate);
    return { key, authorization, signingDate };
  }

  async verify(request: ReceivedRequest, caller: SignedCaller, body: Buffer): Promise<void> {
    const expected = await expectedSignature(request, caller, body);
    const presented = Buffer.from(caller.authorization.signature, 'hex');
    if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) {
      throw new Fault(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. ' +
          'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
    }
  }

  private checkFreshness(amzDate: string, signingDate: Date): void {
    if (Math.abs(this.now() - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
      throw new Fault(
        'RequestExpired',
        `Request has expired: it was signed at ${amzDate}, more than 15 minutes from the server time ` +
          `${toAmzDate(new Date(this.now()))}.`,
      );
    }
  }

  private checkScope({ scope }: SigV4Authorization, amzDate: string): void {
    const problem =
      scope.date !== amzDate.slice(0, 8)
        ? `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`
        : scope.region !== this.region
          ? `Credential should be scoped to a valid region, not '${scope.region}'.`
          : scope.service !== SIGNING_SERVICE
            ? `Credential should be scoped to correct service: '${SIGNING_SERVICE}'.`
            : scope.terminator !== SCOPE_TERMINATOR
              ? `Credential should be scoped with a valid terminator: '${SCOPE_TERMINATOR}', not '${scope.terminator}'.`
              : undefined;
    if (problem) throw new Fault('SignatureDoesNotMatch', problem);
  }
}

async function expectedSignature(
  request: ReceivedRequest,
  caller: SignedCaller,
  body: Buffer,
): Promise<Buffer> {
  const { key, authorization, signingDate } = caller;
  const signer = new SignatureV4({
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    region: authorization.scope.region,
    service: authorization.scope.service,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
    uriEscapePath: true,
  });
  const [path, query] = splitUrl(request.url);
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: String(request.headers.host ?? ''),
      path,
      query: queryOf(query),
      headers: signedHeadersOf(request.headers, authorization.signedHeaders, body),
      body,
    },
    { signingDate, signableHeaders: new Set(authorization.signedHeaders) },
  );
  return Buffer.from(parseAuthorization(String(signed.headers.authorization)).signature, 'hex');
}

/**
 * Only the headers the caller signed take part. A signed payload hash is replaced by the hash of the
 * body actually received, so a body that does not match its declared hash fails the comparison.
 */
function signedHeadersOf(
  headers: IncomingHttpHeaders,
  names: string[],
  body: Buffer,
): Record<string, string> {
  const signed: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (value !== undefined) signed[name] = Array.isArray(value) ? value.join(',') : value;
  }
  if (PAYLOAD_HASH_HEADER in signed) signed[PAYLOAD_HASH_HEADER] = sha256Hex(body);
  return signed;
}

function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

function splitUrl(url: string): [string, string] {
  const separator = url.indexOf('?');
  return separator < 0 ? [url, ''] : [url.slice(0, separator), url.slice(separator + 1)];
}

/** Decoded query parameters; the signer encodes them again the canonical way. */
function queryOf(query: string): Record<string, string | string[]> {
  const parameters: Record<string, string | string[]> = {};
  for (const pair of query.split('&')) {
    if (pair.length === 0) continue;
    const separator = pair.indexOf('=');
    const name = decodeQueryPart(separator < 0 ? pair : pair.slice(0, separator));
    const value = decodeQueryPart(separator < 0 ? '' : pair.slice(separator + 1));
    const existing = parameters[name];
    parameters[name] = existing === undefined ? value : [...[existing].flat(), value];
  }
  return parameters;
}

function decodeQueryPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new Fault('InvalidParameterValue', 'The query string is not correctly percent-encoded.');
  }
}

function amzDateOf(headers: IncomingHttpHeaders): string {
  const amzDate = headers['x-amz-date'];
  if (typeof amzDate !== 'string' || amzDate.length === 0) {
    throw new Fault(
      'IncompleteSignature',
      "Authorization header requires existence of a 'X-Amz-Date' header.",
    );
  }
  return amzDate;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function parseAmzDate(amzDate: string): Date {
  const match = AMZ_DATE.exec(amzDate);
  const date = match
    ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5], +match[6]))
    : undefined;
  if (!date || Number.isNaN(date.getTime()) || toAmzDate(date) !== amzDate) {
    throw new Fault(
      'IncompleteSignature',
      `Date must be in ISO-8601 'basic format' (YYYYMMDD'T'HHMMSS'Z'). Got '${amzDate}'.`,
    );
  }
  return date;
}

function toAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}
