import { BlockList, isIP } from 'node:net';

/**
 * Address ranges a webhook never reaches unless the operator allows them: this host, the private and
 * shared networks behind it, link-local (where cloud metadata services answer), multicast and the
 * reserved blocks. A caller who may subscribe a webhook must not be able to make the notifier call
 * into the network it runs in.
 */
const NON_PUBLIC_V4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/4',
  '240.0.0.0/4',
];
const NON_PUBLIC_V6 = ['::/127', 'fc00::/7', 'fe80::/10', 'fec0::/10', 'ff00::/8'];

type Family = 'ipv4' | 'ipv6';

/** `a.b.c.d/n` or `x::y/n`; throws on anything else. */
export function parseCidr(cidr: string): { address: string; prefix: number; family: Family } {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
  const version = match ? isIP(match[1]) : 0;
  const prefix = match ? Number(match[2]) : NaN;
  if (!match || version === 0 || prefix > (version === 4 ? 32 : 128)) {
    throw new Error(`${cidr} is not a network in CIDR notation (such as 10.1.0.0/16 or fd00::/8)`);
  }
  return { address: match[1], prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

function blockListOf(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const { address, prefix, family } = parseCidr(cidr);
    list.addSubnet(address, prefix, family);
  }
  return list;
}

/** Which addresses a webhook may be delivered to: public ones, and the networks the operator allows. */
export class WebhookDestinations {
  private readonly nonPublic = blockListOf([...NON_PUBLIC_V4, ...NON_PUBLIC_V6]);
  private readonly allowed: BlockList;

  constructor(allowedNetworks: readonly string[]) {
    this.allowed = blockListOf(allowedNetworks);
  }

  /**
   * Why the notifier will not connect to `address` (an IP address), or null when it may. BlockList
   * judges an IPv4-mapped IPv6 address (`::ffff:7f00:1`) by the IPv4 address inside it.
   */
  refusalOf(address: string): string | null {
    const version = isIP(address);
    if (version === 0) return `${address} is not an IP address`;
    const family: Family = version === 4 ? 'ipv4' : 'ipv6';
    if (!this.nonPublic.check(address, family) || this.allowed.check(address, family)) return null;
    return (
      `${address} is a loopback, private, link-local or reserved address, which webhooks are not ` +
      'delivered to unless notifier.webhookAllowedNetworks allows it'
    );
  }

  /** The refusal of a URL whose host is an IP address or `localhost`; null for any other name. */
  refusalOfLiteralHost(url: URL): string | null {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host)) return this.refusalOf(host);
    if (/^localhost\.?$/i.test(host) || /\.localhost\.?$/i.test(host)) return this.refusalOf('127.0.0.1');
    return null;
  }
}
