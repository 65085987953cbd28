import { isSigV4Authorization, parseAuthorization } from './authorization-header';

const signature = 'a'.repeat(64);

describe('SigV4 Authorization header', () => {
  it('reads the credential, the signed headers and the signature', () => {
    expect(
      parseAuthorization(
        `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/rds/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${signature}`,
      ),
    ).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      scope: { date: '20261125', region: 'us-east-1', service: 'rds', terminator: 'aws4_request' },
      signedHeaders: ['content-type', 'host', 'x-amz-date'],
      signature,
    });
  });

  it('tells AWS signatures from other schemes', () => {
    expect(isSigV4Authorization('AWS4-HMAC-SHA256 Credential=x')).toBe(true);
    expect(isSigV4Authorization('AWS4-ECDSA-P256-SHA256 Credential=x')).toBe(true);
    expect(isSigV4Authorization('Bearer key')).toBe(false);
    expect(isSigV4Authorization(undefined)).toBe(false);
  });

  it.each([
    ['AWS4-ECDSA-P256-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=' + signature, /algorithm/],
    ['AWS4-HMAC-SHA256 SignedHeaders=host, Signature=' + signature, /'Credential'/],
    ['AWS4-HMAC-SHA256 Credential=a/b/c/d/e, Signature=' + signature, /'SignedHeaders'/],
    ['AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host', /'Signature'/],
    [
      'AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/rds, SignedHeaders=host, Signature=' + signature,
      /5 slash-delimited/,
    ],
    [
      'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=Host;X-Amz-Date, Signature=' + signature,
      /lower-case/,
    ],
    ['AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=XYZ', /hexadecimal/],
  ])('refuses %s as an incomplete signature', (header, message) => {
    expect(() => parseAuthorization(header)).toThrow(
      expect.objectContaining({ code: 'IncompleteSignature', message: expect.stringMatching(message) }),
    );
  });
});
