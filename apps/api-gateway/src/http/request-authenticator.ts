import { SnapexConfig } from '@snapex/config';
import { Fault } from '@snapex/contracts';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiProtocol, GatewayRequest, urlOf } from './request-context';
import { AccessKeyDirectory } from './sigv4/access-keys';
import { isSigV4Authorization } from './sigv4/authorization-header';
import { SignatureV4Authenticator } from './sigv4/signature-v4-authenticator';

/** Who a request says it comes from, as far as its headers tell. */
export interface Caller {
  accountId: string;
  accessKeyId?: string;
  /** Completes authentication once the body is read: a signature covers the body too. */
  verify(body: Buffer): Promise<void>;
}

/**
 * Signature Version 4 on both protocols, as the AWS CLI and SDKs sign; an API key is the JSON API's
 * alternative. A caller that is not known at all is refused before its body is read.
 */
export class RequestAuthenticator {
  constructor(
    private readonly apiKeys: ApiKeyAuthenticator,
    private readonly signatures: SignatureV4Authenticator,
  ) {}

  static fromConfig(config: SnapexConfig): RequestAuthenticator {
    return new RequestAuthenticator(
      new ApiKeyAuthenticator(config.accounts),
      new SignatureV4Authenticator(new AccessKeyDirectory(config.accounts), config.region),
    );
  }

  identify(request: GatewayRequest, protocol: ApiProtocol): Caller {
    if (isSigV4Authorization(request.headers.authorization)) {
      const signed = this.signatures.identify(request.headers);
      return {
        accountId: signed.key.accountId,
        accessKeyId: signed.key.accessKeyId,
        verify: (body) =>
          this.signatures.verify(
            { method: request.method ?? 'GET', url: urlOf(request), headers: request.headers },
            signed,
            body,
          ),
      };
    }
    if (protocol === 'query') {
      throw new Fault(
        'MissingAuthenticationToken',
        'Request is missing Authentication Token: sign it with AWS Signature Version 4.',
      );
    }
    const accountId = this.apiKeys.authenticate(request.headers);
    return { accountId, verify: () => Promise.resolve() };
  }
}
