import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import {
  defaultTokenEndpoint,
  kafkaAuthFor,
  kafkaClientConfig,
} from '../../src/bus/kafka/kafka-auth.js';
import { loadKafkaAuth } from '../../src/bus/kafka/kafka-auth-file.js';
import { parseKafkaUrl } from '../../src/bus/kafka/kafka-url.js';
import { OAuthTokenProvider } from '../../src/bus/kafka/oauth-token.js';
import { kafkaServerAuthSchema } from '../../src/config/keys/bus.js';

// TLS and SASL cannot be exercised against librdkafka's mock cluster (it speaks plaintext
// only), so these tests check the kafkajs options the configuration produces.

const auth = (entry: Record<string, unknown>) => kafkaServerAuthSchema.parse(entry);

test('Kafka URLs give bootstrap brokers (default port 9092), the host and the topic', () => {
  assert.deepEqual(parseKafkaUrl('kafka://kafka.scimma.org/igwn.gwalert'), {
    brokers: ['kafka.scimma.org:9092'],
    host: 'kafka.scimma.org',
    topic: 'igwn.gwalert',
  });
  assert.deepEqual(parseKafkaUrl('kafka://a:1234,b/'), {
    brokers: ['a:1234', 'b:9092'],
    host: 'a',
    topic: undefined,
  });
  assert.equal(parseKafkaUrl('kafka://user@kafka.scimma.org').host, 'kafka.scimma.org');
  assert.throws(() => parseKafkaUrl('http://x/y'), /invalid Kafka URL 'http:\/\/x\/y'/);
  assert.throws(() => parseKafkaUrl('kafka://bad host/'), /invalid broker 'bad host'/);
});

test('per-server auth: exact host first, then the longest matching *.domain wildcard', () => {
  const map = {
    'kafka.scimma.org': auth({ mechanism: 'scram-sha-512', username: 'u' }),
    '*.gcn.nasa.gov': auth({ mechanism: 'oauthbearer', client_id: 'c' }),
    '*.test.gcn.nasa.gov': auth({ mechanism: 'oauthbearer', client_id: 'test-c' }),
  };
  assert.equal(kafkaAuthFor('kafka.scimma.org', map)?.username, 'u');
  assert.equal(kafkaAuthFor('kafka.gcn.nasa.gov', map)?.client_id, 'c');
  assert.equal(kafkaAuthFor('kafka.test.gcn.nasa.gov', map)?.client_id, 'test-c');
  assert.equal(kafkaAuthFor('localhost', map), undefined);
});

test('SCiMMA: TLS with SASL/SCRAM-SHA-512, the password read from its file', () => {
  const config = kafkaClientConfig({
    brokers: ['kafka.scimma.org:9092'],
    host: 'kafka.scimma.org',
    clientId: 'gw',
    auth: auth({ mechanism: 'scram-sha-512', username: 'alice', password_file: '/secret/pw' }),
    readFile: (path) => {
      assert.equal(path, '/secret/pw');
      return 's3cret\n';
    },
  });
  assert.deepEqual(config.sasl, {
    mechanism: 'scram-sha-512',
    username: 'alice',
    password: 's3cret',
  });
  assert.deepEqual(config.ssl, { rejectUnauthorized: true, servername: 'kafka.scimma.org' });
  assert.deepEqual(config.brokers, ['kafka.scimma.org:9092']);
});

test('a custom CA and plaintext are configured as asked; no auth means no TLS', () => {
  const tlsCa = kafkaClientConfig({
    brokers: ['k:9093'],
    host: 'k',
    clientId: 'gw',
    auth: auth({ mechanism: 'none', tls: true, ca_file: '/ca.pem', reject_unauthorized: false }),
    readFile: () => 'PEM',
  });
  assert.deepEqual(tlsCa.ssl, { rejectUnauthorized: false, ca: ['PEM'], servername: 'k' });
  assert.equal(tlsCa.sasl, undefined);
  const plain = kafkaClientConfig({
    brokers: ['localhost:9092'],
    host: 'localhost',
    clientId: 'gw',
  });
  assert.equal(plain.ssl, undefined);
  assert.equal(plain.sasl, undefined);
});

test('missing credentials are an error naming the server and the field', () => {
  assert.throws(
    () =>
      kafkaClientConfig({
        brokers: ['kafka.scimma.org:9092'],
        host: 'kafka.scimma.org',
        clientId: 'gw',
        auth: auth({ mechanism: 'scram-sha-512', username: 'alice' }),
      }),
    /kafka_auth\['kafka.scimma.org'\]: password or password_file is required/,
  );
  assert.throws(
    () =>
      kafkaClientConfig({
        brokers: ['kafka.scimma.org:9092'],
        host: 'kafka.scimma.org',
        clientId: 'gw',
        auth: auth({ mechanism: 'scram-sha-512', username: 'a', password_file: '/nope' }),
        readFile: () => {
          throw new Error('ENOENT: no such file');
        },
      }),
    /kafka_auth\['kafka.scimma.org'\].password_file: cannot read \/nope: ENOENT/,
  );
  assert.throws(
    () =>
      kafkaClientConfig({
        brokers: ['kafka.gcn.nasa.gov:9092'],
        host: 'kafka.gcn.nasa.gov',
        clientId: 'gw',
        auth: auth({ mechanism: 'oauthbearer' }),
      }),
    /kafka_auth\['kafka.gcn.nasa.gov'\]: client_id is required/,
  );
});

test('GCN: SASL/OAUTHBEARER whose provider fetches client-credentials tokens and caches them', async () => {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const basic = Buffer.from(`client-1:sec%2Fret`).toString('base64');
      if (
        req.headers.authorization !== `Basic ${basic}` ||
        !body.includes('grant_type=client_credentials')
      ) {
        res.writeHead(401).end('{"error":"invalid_client"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: `token-${requests}`, expires_in: 3600 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`;
  try {
    const config = kafkaClientConfig({
      brokers: ['kafka.gcn.nasa.gov:9092'],
      host: 'kafka.gcn.nasa.gov',
      clientId: 'gw',
      auth: auth({
        mechanism: 'oauthbearer',
        client_id: 'client-1',
        client_secret: 'sec/ret',
        token_endpoint: endpoint,
      }),
    });
    assert.ok(config.ssl, 'TLS on');
    const sasl = config.sasl as {
      mechanism: string;
      oauthBearerProvider: () => Promise<{ value: string }>;
    };
    assert.equal(sasl.mechanism, 'oauthbearer');
    assert.deepEqual(await sasl.oauthBearerProvider(), { value: 'token-1' });
    assert.deepEqual(await sasl.oauthBearerProvider(), { value: 'token-1' }, 'cached');
    assert.equal(requests, 1);

    const wrong = new OAuthTokenProvider({
      tokenEndpoint: endpoint,
      clientId: 'x',
      clientSecret: 'y',
    });
    await assert.rejects(wrong.token(), /answered HTTP 401: \{"error":"invalid_client"\}/);
  } finally {
    server.close();
  }
  assert.equal(
    defaultTokenEndpoint('kafka.test.gcn.nasa.gov'),
    'https://auth.test.gcn.nasa.gov/oauth2/token',
  );
  assert.equal(
    defaultTokenEndpoint('kafka3.gcn.nasa.gov'),
    'https://auth.gcn.nasa.gov/oauth2/token',
  );
});

test('kafka_auth_file entries are merged per host over kafka_auth, and a bad file is named', () => {
  const merged = loadKafkaAuth(
    { 'kafka.scimma.org': auth({ mechanism: 'scram-sha-512' }) },
    '/etc/gw/kafka.json',
    () => JSON.stringify({ 'kafka.scimma.org': { username: 'robot', password: 'pw' } }),
  );
  assert.equal(merged['kafka.scimma.org'].mechanism, 'scram-sha-512');
  assert.equal(merged['kafka.scimma.org'].username, 'robot');
  assert.throws(
    () =>
      loadKafkaAuth({}, '/etc/gw/kafka.json', () =>
        JSON.stringify({ h: { mechanism: 'kerberos' } }),
      ),
    /kafka_auth_file \/etc\/gw\/kafka.json: h.mechanism: /,
  );
  assert.throws(() => loadKafkaAuth({}, '/x.json', () => '{'), /kafka_auth_file \/x.json: /);
});
