import { parseConfig } from '@snapex/config';
import { AwsClients } from './aws-clients';

const BASE = { region: 'us-east-1', accounts: [{ id: '123456789012' }] };

describe('AWS endpoints and sessions in the configuration', () => {
  it('sends each service to its own endpoint when one is set, else to the common one', () => {
    const clients = new AwsClients(
      parseConfig({ ...BASE, aws: { endpoint: 'http://rgw:7480', endpoints: { kms: 'http://kms:5000' } } }),
    );
    expect(clients.endpointOf('s3')).toBe('http://rgw:7480');
    expect(clients.endpointOf('sts')).toBe('http://rgw:7480');
    expect(clients.endpointOf('kms')).toBe('http://kms:5000');
    expect(new AwsClients(parseConfig(BASE)).endpointOf('s3')).toBeUndefined();
  });

  it("keeps AWS STS's 900-second minimum for AWS, and passes shorter sessions to other endpoints", () => {
    expect(() => parseConfig({ ...BASE, aws: { roleSessionSeconds: 60 } })).toThrow(
      'config: aws.roleSessionSeconds: must be at least 900 when STS is AWS itself',
    );
    expect(
      parseConfig({ ...BASE, aws: { endpoint: 'http://moto:5000', roleSessionSeconds: 60 } }).aws
        .roleSessionSeconds,
    ).toBe(60);
    expect(parseConfig(BASE).aws).toMatchObject({
      roleSessionSeconds: 3600,
      keyRecheckSeconds: 60,
      endpoints: {},
    });
  });
});
