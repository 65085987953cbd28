import { createHash, timingSafeEqual } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';
import { Fault } from '@snapex/contracts';
import { SnapexConfig } from '@snapex/config';

interface KnownKey {
  digest: Buffer;
  accountId: string;
}

/** Maps an API key to its account. Keys are compared as digests, every key every time, in constant time. */
export class ApiKeyAuthenticator {
  private readonly keys: KnownKey[];

  constructor(accounts: Pick<SnapexConfig['accounts'][number], 'id' | 'apiKeys'>[]) {
    this.keys = accounts.flatMap((account) =>
      account.apiKeys.map((key) => ({ digest: digestOf(key), accountId: account.id })),
    );
  }

  /** The account the request acts for. */
  authenticate(headers: IncomingHttpHeaders): string {
    const presented = presentedKey(headers);
    if (presented === undefined) {
      throw new Fault(
        'MissingAuthenticationToken',
        'The request must be signed with AWS Signature Version 4 or carry an API key, in the x-api-key ' +
          'header or as Authorization: Bearer <key>.',
      );
    }
    const accountId = this.accountFor(digestOf(presented));
    if (accountId === undefined) {
      throw new Fault('InvalidClientTokenId', 'The API key included in the request is not valid.');
    }
    return accountId;
  }

  private accountFor(digest: Buffer): string | undefined {
    let accountId: string | undefined;
    for (const key of this.keys) {
      if (timingSafeEqual(key.digest, digest) && accountId === undefined) accountId = key.accountId;
    }
    return accountId;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.length > 0) return apiKey;
  const bearer = BEARER.exec(headers.authorization ?? '');
  return bearer?.[1];
}

function digestOf(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
