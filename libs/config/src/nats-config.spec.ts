import { parseConfig } from './load-config';

const env = { NATS_PASSWORD: 'a-password', MAIN_URL: 'postgresql://h/db' };
const withNats = (nats: Record<string, unknown>) =>
  parseConfig({ region: 'us-east-1', accounts: [{ id: '123456789012' }], nats }, env);

describe('nats configuration', () => {
  it('defaults to one replica, no TLS and no credentials', () => {
    const { nats } = withNats({});
    expect(nats).toMatchObject({ url: 'nats://127.0.0.1:4222', streamReplicas: 1 });
    expect(nats.tls).toBeUndefined();
    expect(nats.auth).toBeUndefined();
  });

  it('takes a cluster of seed servers, replicas, TLS files and one way to authenticate', () => {
    const { nats } = withNats({
      url: 'tls://nats-0:4222, tls://nats-1:4222,tls://nats-2:4222',
      streamReplicas: 3,
      tls: { caFile: '/etc/nats/ca.pem', certFile: '/etc/nats/tls.crt', keyFile: '/etc/nats/tls.key' },
      auth: { user: 'snapex', password: 'env:NATS_PASSWORD' },
    });
    expect(nats.streamReplicas).toBe(3);
    expect(nats.auth).toEqual({ user: 'snapex', password: 'a-password' });
    expect(withNats({ auth: { credsFile: '/etc/nats/snapex.creds' } }).nats.auth).toEqual({
      credsFile: '/etc/nats/snapex.creds',
    });
    expect(withNats({ auth: { token: 's3cret' } }).nats.auth).toEqual({ token: 's3cret' });
  });

  it.each([
    [{ url: 'http://nats:4222' }, 'config: nats.url: must be nats:// or tls:// URLs separated by commas'],
    [{ streamReplicas: 0 }, 'config: nats.streamReplicas: Number must be greater than or equal to 1'],
    [{ tls: { certFile: '/c.pem' } }, 'config: nats.tls.keyFile: must be given with the other one'],
    [{ tls: { caFile: '/ca.pem', crtFile: '/c.pem' } }, 'config: nats.tls.crtFile: unknown setting'],
    [{ auth: {} }, 'config: nats.auth: must give credsFile, user and password, or token'],
    [
      { auth: { token: 't', credsFile: '/x.creds' } },
      'config: nats.auth: gives credsFile and token: choose one',
    ],
    [{ auth: { user: 'snapex' } }, 'config: nats.auth.password: must be given with the other one'],
  ])('refuses %j', (nats, message) => {
    expect(() => withNats(nats)).toThrow(message);
  });
});
