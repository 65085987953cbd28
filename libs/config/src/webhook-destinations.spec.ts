import { parseConfig } from './load-config';
import { WebhookDestinations } from './webhook-destinations';

describe('webhook destinations', () => {
  const publicOnly = new WebhookDestinations([]);

  it('refuses this host, private, shared, link-local, multicast and reserved addresses', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.0.9',
      '0.0.0.0',
      '10.0.0.1',
      '100.64.1.1',
      '169.254.169.254',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '198.18.0.1',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      '::ffff:7f00:1',
      '::ffff:169.254.169.254',
      'fd00::1',
      'fe80::1',
      'ff02::1',
    ]) {
      expect({ address, refused: publicOnly.refusalOf(address) !== null }).toEqual({
        address,
        refused: true,
      });
    }
  });

  it('lets public addresses through', () => {
    for (const address of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect({ address, refusal: publicOnly.refusalOf(address) }).toEqual({ address, refusal: null });
    }
  });

  it('lets through the networks the operator allows, and no more', () => {
    const allowed = new WebhookDestinations(['127.0.0.1/32', 'fd00:1::/32']);
    expect(allowed.refusalOf('127.0.0.1')).toBeNull();
    expect(allowed.refusalOf('::ffff:127.0.0.1')).toBeNull();
    expect(allowed.refusalOf('fd00:1::5')).toBeNull();
    expect(allowed.refusalOf('127.0.0.2')).toMatch(/loopback, private, link-local or reserved/);
    expect(allowed.refusalOf('::1')).not.toBeNull();
  });

  it('judges URL hosts written as addresses or localhost, and leaves other names to resolution', () => {
    const refused = (url: string) => publicOnly.refusalOfLiteralHost(new URL(url)) !== null;
    expect(refused('http://[::1]:8080/')).toBe(true);
    expect(refused('http://0x7f.1/')).toBe(true);
    expect(refused('http://api.localhost/')).toBe(true);
    expect(refused('https://hooks.example.com/')).toBe(false);
    expect(refused('https://93.184.215.14/')).toBe(false);
  });

  it('refuses to boot with an allowed network that is not CIDR', () => {
    const config = (networks: string[]) => () =>
      parseConfig({
        region: 'us-east-1',
        accounts: [{ id: '123456789012' }],
        notifier: { webhookAllowedNetworks: networks },
      });
    expect(config(['10.0.0.0/8', '::1/128'])).not.toThrow();
    expect(config(['10.0.0.0'])).toThrow(
      /notifier.webhookAllowedNetworks.0: 10.0.0.0 is not a network in CIDR/,
    );
    expect(config(['10.0.0.0/33'])).toThrow(/not a network in CIDR/);
    expect(config(['example.com/8'])).toThrow(/not a network in CIDR/);
  });
});
