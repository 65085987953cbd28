import { Fault } from '@snapex/contracts';
import { ApiKeyAuthenticator } from './api-key-authenticator';

const authenticator = new ApiKeyAuthenticator([
  { id: '123456789012', apiKeys: ['key-of-the-first-account', 'second-key-of-the-first'] },
  { id: '210987654321', apiKeys: ['key-of-the-second-account'] },
]);

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    if (error instanceof Fault) return error.code;
    throw error;
  }
}

describe('API key authentication', () => {
  it('maps each key to its account', () => {
    expect(authenticator.authenticate({ 'x-api-key': 'key-of-the-first-account' })).toBe('123456789012');
    expect(authenticator.authenticate({ 'x-api-key': 'second-key-of-the-first' })).toBe('123456789012');
    expect(authenticator.authenticate({ 'x-api-key': 'key-of-the-second-account' })).toBe('210987654321');
  });

  it('accepts the key as a bearer token', () => {
    expect(authenticator.authenticate({ authorization: 'Bearer key-of-the-second-account' })).toBe(
      '210987654321',
    );
    expect(authenticator.authenticate({ authorization: 'bearer   key-of-the-second-account' })).toBe(
      '210987654321',
    );
  });

  it('refuses requests without a key', () => {
    expect(codeOf(() => authenticator.authenticate({}))).toBe('MissingAuthenticationToken');
    expect(codeOf(() => authenticator.authenticate({ 'x-api-key': '' }))).toBe('MissingAuthenticationToken');
    expect(codeOf(() => authenticator.authenticate({ authorization: 'Basic dXNlcjpwYXNz' }))).toBe(
      'MissingAuthenticationToken',
    );
  });

  it('refuses unknown keys, including near misses', () => {
    for (const key of ['key-of-the-first-accoun', 'key-of-the-first-account ', 'KEY-OF-THE-FIRST-ACCOUNT']) {
      expect(codeOf(() => authenticator.authenticate({ 'x-api-key': key }))).toBe('InvalidClientTokenId');
    }
  });
});
