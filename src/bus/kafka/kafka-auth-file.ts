import { readFileSync } from 'node:fs';
import { type KafkaServerAuth, kafkaServerAuthSchema } from '../../config/keys/bus.js';

/**
 * kafka_auth from the configuration, with the entries of kafka_auth_file merged over it per
 * host: credentials can live in a file only the deployment account can read.
 */
export function loadKafkaAuth(
  inline: Record<string, KafkaServerAuth>,
  file: string,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): Record<string, KafkaServerAuth> {
  if (!file) return { ...inline };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(file));
  } catch (err) {
    throw new Error(`kafka_auth_file ${file}: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`kafka_auth_file ${file}: expected a JSON object keyed by server host`);
  }
  const merged: Record<string, KafkaServerAuth> = { ...inline };
  for (const [host, entry] of Object.entries(parsed)) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new Error(`kafka_auth_file ${file}: ${host}: expected an object`);
    }
    // Fields the file leaves out keep their kafka_auth value (a file holding only the password).
    const result = kafkaServerAuthSchema.safeParse({ ...(inline[host] ?? {}), ...entry });
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new Error(
        `kafka_auth_file ${file}: ${[host, ...issue.path].join('.')}: ${issue.message}`,
      );
    }
    merged[host] = result.data;
  }
  return merged;
}
