import { createHash, timingSafeEqual } from 'node:crypto';
import { SnapexConfig } from '@snapex/config';

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
}

/** The access key pairs of every account, looked up by access key id. */
export class AccessKeyDirectory {
  private readonly keys: AccessKey[];

  constructor(accounts: Pick<SnapexConfig['accounts'][number], 'id' | 'accessKeys'>[]) {
    this.keys = accounts.flatMap((account) =>
      account.accessKeys.map((key) => ({ ...key, accountId: account.id })),
    );
  }

  /** Every key is compared, as digests in constant time, so timing does not tell which ids exist. */
  find(accessKeyId: string): AccessKey | undefined {
    const presented = digestOf(accessKeyId);
    let found: AccessKey | undefined;
    for (const key of this.keys) {
      if (timingSafeEqual(digestOf(key.accessKeyId), presented) && found === undefined) found = key;
    }
    return found;
  }
}

function digestOf(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
