/** One handler task registered for IGWN Alert topics. */
export interface IgwnAlertHandler {
  /** Task name the dispatcher sends (e.g. 'orchestrator.handle_superevent'). */
  name: string;
  priority?: number;
}

/**
 * Which handler tasks run for which IGWN Alert topic. The pipeline modules register here at
 * import time (`onIgwnAlert(['superevent', 'mdc_superevent'], 'orchestrator.handle_superevent')`)
 * and the listener fans every message out to all the handlers of its topic.
 */
export class IgwnAlertRegistry {
  private readonly byTopic = new Map<string, Map<string, IgwnAlertHandler>>();

  register(
    topics: string | readonly string[],
    handlerName: string,
    options: { priority?: number } = {},
  ): void {
    if (!handlerName) throw new Error('an IGWN Alert handler needs a task name');
    const list = typeof topics === 'string' ? [topics] : topics;
    if (list.length === 0) throw new Error(`IGWN Alert handler '${handlerName}' names no topic`);
    for (const topic of list) {
      if (!/^[a-z0-9_]+$/.test(topic)) {
        throw new Error(
          `IGWN Alert handler '${handlerName}': invalid topic '${topic}' (bare topic names such as 'cbc_gstlal', without the group)`,
        );
      }
      const handlers = this.byTopic.get(topic) ?? new Map<string, IgwnAlertHandler>();
      // Registering twice (a module imported twice) is harmless: one task per handler.
      handlers.set(handlerName, { name: handlerName, priority: options.priority });
      this.byTopic.set(topic, handlers);
    }
  }

  handlersFor(topic: string): IgwnAlertHandler[] {
    return [...(this.byTopic.get(topic)?.values() ?? [])];
  }

  /** Every topic some handler is registered for. */
  topics(): string[] {
    return [...this.byTopic.keys()].sort();
  }
}

/** The registry the pipeline modules use. */
export const igwnAlertRegistry = new IgwnAlertRegistry();

export function onIgwnAlert(
  topics: string | readonly string[],
  handlerName: string,
  options: { priority?: number } = {},
): void {
  igwnAlertRegistry.register(topics, handlerName, options);
}
