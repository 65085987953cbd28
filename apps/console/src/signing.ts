import { SignatureV4 } from '@smithy/signature-v4';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytesOf(data: SourceData): Uint8Array<ArrayBuffer> {
  if (typeof data === 'string') return new TextEncoder().encode(data) as Uint8Array<ArrayBuffer>;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
}

/** SHA-256, or HMAC-SHA256 when given a secret, from the browser's Web Crypto, for the SDK's signer. */
class WebCryptoSha256 {
  private chunks: Uint8Array<ArrayBuffer>[] = [];

  constructor(private readonly secret?: SourceData) {}

  update(data: SourceData): void {
    this.chunks.push(bytesOf(data));
  }

  async digest(): Promise<Uint8Array> {
    const data = new Uint8Array(this.chunks.reduce((length, chunk) => length + chunk.length, 0));
    let offset = 0;
    for (const chunk of this.chunks) {
      data.set(chunk, offset);
      offset += chunk.length;
    }
    if (this.secret === undefined) return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
    const key = await crypto.subtle.importKey(
      'raw',
      bytesOf(this.secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    return new Uint8Array(await crypto.subtle.sign('HMAC', key, data));
  }

  reset(): void {
    this.chunks = [];
  }
}

export interface AccessKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/**
 * Signature Version 4 headers for a request to this page's own origin, signed for RDS as the AWS CLI
 * signs, by the SDK's own signer. Web Crypto exists only in a secure context (HTTPS or localhost).
 */
export async function signedHeaders(
  keys: AccessKeyPair,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<Record<string, string>> {
  if (!globalThis.crypto?.subtle) {
    throw new Error('Signing needs a secure page (HTTPS or localhost). Sign in with an API key instead.');
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey },
    region: keys.region,
    service: 'rds',
    sha256: WebCryptoSha256,
    applyChecksum: false,
    uriEscapePath: true,
  });
  const signed = await signer.sign({
    method,
    protocol: location.protocol,
    hostname: location.host,
    path,
    query: {},
    headers: { ...headers, host: location.host },
    body,
  });
  // The browser sends Host itself and refuses to be told it.
  const sent: Record<string, string> = { ...signed.headers };
  delete sent.host;
  return sent;
}
