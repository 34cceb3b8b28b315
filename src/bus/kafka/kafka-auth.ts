import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { KafkaServerAuth } from '../../config/keys/bus.js';
import { OAuthTokenProvider } from './oauth-token.js';

export type { KafkaServerAuth };
export type KafkaAuthMap = Record<string, KafkaServerAuth>;

/**
 * The entry for a host: an exact key wins, then the longest `*.domain` wildcard that matches.
 * No entry: plaintext without SASL (a local broker, a test cluster).
 */
export function kafkaAuthFor(host: string, auth: KafkaAuthMap): KafkaServerAuth | undefined {
  const lower = host.toLowerCase();
  if (Object.hasOwn(auth, lower)) return auth[lower];
  let best: { suffix: string; entry: KafkaServerAuth } | undefined;
  for (const [pattern, entry] of Object.entries(auth)) {
    if (!pattern.startsWith('*.')) {
      if (pattern.toLowerCase() === lower) return entry;
      continue;
    }
    const suffix = pattern.slice(1).toLowerCase();
    if (lower.endsWith(suffix) && (!best || suffix.length > best.suffix.length)) {
      best = { suffix, entry };
    }
  }
  return best?.entry;
}

/** GCN's token endpoint for a broker: kafka.test.gcn.nasa.gov → auth.test.gcn.nasa.gov. */
export function defaultTokenEndpoint(host: string): string {
  const domain = host.replace(/^kafka\d*\./, '');
  return `https://auth.${domain}/oauth2/token`;
}

export interface ClientConfigOptions {
  brokers: string[];
  host: string;
  clientId: string;
  auth?: KafkaServerAuth;
  /** Injected for tests; reads secret and CA files. */
  readFile?: (path: string) => string;
  fetch?: typeof fetch;
}

function secret(
  host: string,
  inline: string | undefined,
  file: string | undefined,
  field: string,
  readFile: (path: string) => string,
): string {
  if (inline) return inline;
  if (file) {
    let text: string;
    try {
      text = readFile(file);
    } catch (err) {
      throw new Error(
        `kafka_auth['${host}'].${field}_file: cannot read ${file}: ${(err as Error).message}`,
      );
    }
    const value = text.trim();
    if (!value) throw new Error(`kafka_auth['${host}'].${field}_file: ${file} is empty`);
    return value;
  }
  throw new Error(`kafka_auth['${host}']: ${field} or ${field}_file is required`);
}

/**
 * The kafkajs client options for one server. Pure apart from reading the named secret files,
 * so the TLS and SASL settings can be checked in tests without a TLS broker.
 */
export function kafkaClientConfig(options: ClientConfigOptions): KafkaConfig {
  const { host, auth } = options;
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const mechanism = auth?.mechanism ?? 'none';
  const config: KafkaConfig = { clientId: options.clientId, brokers: options.brokers };

  const tls = auth?.tls ?? mechanism !== 'none';
  if (tls) {
    const ssl: ConnectionOptions = { rejectUnauthorized: auth?.reject_unauthorized ?? true };
    if (auth?.ca_file) {
      try {
        ssl.ca = [readFile(auth.ca_file)];
      } catch (err) {
        throw new Error(
          `kafka_auth['${host}'].ca_file: cannot read ${auth.ca_file}: ${(err as Error).message}`,
        );
      }
    }
    ssl.servername = host;
    config.ssl = ssl;
  }

  if (auth && mechanism !== 'none') {
    let sasl: SASLOptions;
    if (mechanism === 'oauthbearer') {
      if (!auth.client_id) throw new Error(`kafka_auth['${host}']: client_id is required`);
      const provider = new OAuthTokenProvider({
        tokenEndpoint: auth.token_endpoint ?? defaultTokenEndpoint(host),
        clientId: auth.client_id,
        clientSecret: secret(
          host,
          auth.client_secret,
          auth.client_secret_file,
          'client_secret',
          readFile,
        ),
        scope: auth.scope,
        fetch: options.fetch,
      });
      sasl = { mechanism, oauthBearerProvider: () => provider.token() };
    } else {
      if (!auth.username) throw new Error(`kafka_auth['${host}']: username is required`);
      const password = secret(host, auth.password, auth.password_file, 'password', readFile);
      sasl = { mechanism, username: auth.username, password } as SASLOptions;
    }
    config.sasl = sasl;
  }
  return config;
}
