/**
 * The narrowest view of the notification bus: what a producer of notifications (the embedded
 * GraceDB announcing a change, a heartbeat) needs. The bus drivers (in-process, Redis Streams,
 * Kafka) implement it; producers depend on this interface only.
 */
export interface Publisher {
  /**
   * Appends one message to a topic. Resolves once the message is durable in the driver (written
   * to the stream / acknowledged by the broker), with the offset it was given (and, on Kafka,
   * the partition; the other drivers have one partition, 0).
   */
  publish(topic: string, value: string | Uint8Array, options?: PublishOptions): Promise<Published>;
}

export interface Published {
  offset: string;
  partition?: number;
}

export interface PublishOptions {
  /** Partitioning / ordering key (Kafka) and deduplication hint. */
  key?: string;
  headers?: Record<string, string>;
}

/** A publisher that keeps messages in memory: the default until a bus driver is configured. */
export class MemoryPublisher implements Publisher {
  readonly messages: { topic: string; value: string | Uint8Array; options?: PublishOptions }[] = [];
  async publish(
    topic: string,
    value: string | Uint8Array,
    options?: PublishOptions,
  ): Promise<{ offset: string }> {
    this.messages.push({ topic, value, options });
    return { offset: String(this.messages.length - 1) };
  }
}
