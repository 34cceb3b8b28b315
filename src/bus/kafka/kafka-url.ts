/** A `kafka://host[:port][,host[:port]...]/[topic]` URL, as hop and GWCelery's configuration write them. */
export interface KafkaUrl {
  /** `host:port` of each bootstrap broker (port 9092 when omitted). */
  brokers: string[];
  /** The host of the first broker: what per-server authentication is keyed by. */
  host: string;
  /** The topic after the slash, if any. */
  topic?: string;
}

export function parseKafkaUrl(url: string): KafkaUrl {
  const match = /^kafka:\/\/([^/]+)(?:\/(.*))?$/.exec(url.trim());
  if (!match) {
    throw new Error(
      `invalid Kafka URL '${url}': expected kafka://host[:port][,host[:port]]/[topic]`,
    );
  }
  const brokers = match[1].split(',').map((hostPort) => {
    // Credentials in the URL (hop's kafka://user@host) are not used: authentication is
    // configured per server, so that URLs can be logged.
    const bare = hostPort.slice(hostPort.lastIndexOf('@') + 1);
    if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(bare) && !/^\[[0-9a-fA-F:]+\](:\d{1,5})?$/.test(bare)) {
      throw new Error(`invalid broker '${hostPort}' in Kafka URL '${url}'`);
    }
    return /:\d+$/.test(bare) && !bare.endsWith(']') ? bare : `${bare}:9092`;
  });
  const first = brokers[0];
  const host = first.slice(0, first.lastIndexOf(':')).replace(/^\[|\]$/g, '');
  const topic = match[2] ? match[2] : undefined;
  return { brokers, host, topic };
}
