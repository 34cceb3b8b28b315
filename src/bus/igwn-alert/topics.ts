import { IGWN_ALERT_TOPICS } from '../../config/keys/bus.js';

export { IGWN_ALERT_TOPICS };

/** On the broker every topic is namespaced by the GraceDB instance's group: `<group>.<topic>`. */
export function wireTopic(group: string, topic: string): string {
  return `${group}.${topic}`;
}

/** The bare topic of a wire name in `group`, or undefined when it belongs to another group. */
export function bareTopic(group: string, wire: string): string | undefined {
  const prefix = `${group}.`;
  return wire.startsWith(prefix) ? wire.slice(prefix.length) : undefined;
}
