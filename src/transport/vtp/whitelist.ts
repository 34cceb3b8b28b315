import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * The broadcaster's IP whitelist: addresses, CIDR ranges, and host names resolved once at start
 * (all of their addresses). A subscriber whose address is in no entry is refused before it is
 * spoken to.
 */
export class Whitelist {
  private constructor(
    private readonly list: BlockList,
    readonly entries: string[],
  ) {}

  static async resolve(entries: string[]): Promise<Whitelist> {
    const list = new BlockList();
    for (const raw of entries) {
      const entry = raw.trim();
      const [address, bits] = entry.split('/');
      const family = isIP(address);
      if (family !== 0) {
        const type = family === 6 ? 'ipv6' : 'ipv4';
        if (bits === undefined) {
          list.addAddress(address, type);
        } else {
          const prefix = Number(bits);
          if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
            throw new Error(`whitelist entry '${entry}' has an invalid prefix length`);
          }
          list.addSubnet(address, prefix, type);
        }
        continue;
      }
      if (bits !== undefined) throw new Error(`whitelist entry '${entry}' is not an address range`);
      let resolved: { address: string; family: number }[];
      try {
        resolved = await lookup(entry, { all: true });
      } catch (err) {
        throw new Error(`whitelist host '${entry}' does not resolve: ${(err as Error).message}`);
      }
      for (const r of resolved) list.addAddress(r.address, r.family === 6 ? 'ipv6' : 'ipv4');
    }
    return new Whitelist(list, entries);
  }

  allows(remoteAddress: string | undefined): boolean {
    if (!remoteAddress) return false;
    // A dual-stack server reports IPv4 peers as IPv4-mapped IPv6 addresses.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress);
    const address = mapped ? mapped[1] : remoteAddress;
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}
