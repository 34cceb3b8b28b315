/**
 * Which handler tasks run for which GCN Kafka stream, by the stream's key in
 * kafka_consumer_config (gwcelery-spec §5.1: fermi_gbm_alert → external_triggers.handle_grb_gcn,
 * snews → handle_snews_gcn, fermi_targeted/swift_targeted → handle_targeted_kafka_alert).
 */
export class GcnNoticeRegistry {
  private readonly byKey = new Map<string, Set<string>>();

  register(keys: string | readonly string[], handlerName: string): void {
    if (!handlerName) throw new Error('a GCN notice handler needs a task name');
    const list = typeof keys === 'string' ? [keys] : keys;
    if (list.length === 0) throw new Error(`GCN notice handler '${handlerName}' names no stream`);
    for (const key of list) {
      const handlers = this.byKey.get(key) ?? new Set<string>();
      handlers.add(handlerName);
      this.byKey.set(key, handlers);
    }
  }

  handlersFor(key: string): string[] {
    return [...(this.byKey.get(key) ?? [])];
  }

  keys(): string[] {
    return [...this.byKey.keys()].sort();
  }
}

/** The registry the external-trigger modules use. */
export const gcnNoticeRegistry = new GcnNoticeRegistry();

export function onGcnNotice(keys: string | readonly string[], handlerName: string): void {
  gcnNoticeRegistry.register(keys, handlerName);
}
