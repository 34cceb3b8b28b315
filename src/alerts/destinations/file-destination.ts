import { randomUUID } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { AlertDestination, DestinationHealth, OutgoingAlert } from '../destination.js';
import { DeliveryError } from '../destination.js';
import type { AlertKey, DeliveryReceipt } from '../ledger/ledger.js';
import { encodePayload, type PayloadFormat, payloadHash } from '../payload.js';

export interface FileDestinationOptions {
  directory: string;
  format: PayloadFormat;
  /** Defaults to `file-<format>`. */
  name?: string;
  timeoutMs?: number;
  retries?: number;
}

/**
 * Writes each alert as a file, `<dir>/<superevent>-<serial>-<type>.<json|avro|xml>`: the
 * one-command pipeline's stand-in for the public brokers, and an archive. A file appears whole
 * or not at all (written aside, synced, then hard-linked into place), and an existing file is
 * never replaced, so the directory itself holds each alert at most once.
 */
export class FileDestination implements AlertDestination {
  readonly kind = 'file' as const;
  readonly name: string;
  readonly timeoutMs: number;
  readonly retries: number;
  private status: Omit<DestinationHealth, 'queued' | 'kind'> = { deliveryFailure: false };

  constructor(private readonly options: FileDestinationOptions) {
    this.name = options.name ?? `file-${options.format}`;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 1;
  }

  path(key: Pick<AlertKey, 'superevent' | 'alertType' | 'serial'>): string {
    return join(
      this.options.directory,
      `${key.superevent}-${key.serial}-${key.alertType}.${this.options.format}`,
    );
  }

  payload(alert: OutgoingAlert): { bytes: Uint8Array } | { skip: string } {
    return encodePayload(alert, this.options.format);
  }

  async deliver(bytes: Uint8Array, key: AlertKey): Promise<DeliveryReceipt> {
    const path = this.path(key);
    const temporary = `${path}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
    try {
      mkdirSync(this.options.directory, { recursive: true });
      const fd = openSync(temporary, 'wx');
      try {
        writeSync(fd, bytes);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      try {
        linkSync(temporary, path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        // Written by an earlier attempt: that one is the delivery.
        return this.receiptFor(path)!;
      }
      const dir = openSync(this.options.directory, 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
      this.status = { deliveryFailure: false, lastDeliveryAt: new Date().toISOString() };
      return this.receiptFor(path)!;
    } catch (err) {
      const message = `${this.name}: cannot write ${path}: ${(err as Error).message}`;
      this.status = { ...this.status, deliveryFailure: true, lastError: message };
      // A later attempt finds a file that did get linked into place, so a retry is safe.
      throw new DeliveryError(message, { ambiguous: false });
    } finally {
      rmSync(temporary, { force: true });
    }
  }

  async findDelivery(key: AlertKey): Promise<DeliveryReceipt | undefined> {
    return this.receiptFor(this.path(key));
  }

  private receiptFor(path: string): DeliveryReceipt | undefined {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      return undefined;
    }
    return {
      at: stat.mtime.toISOString(),
      detail: { path, bytes: stat.size, sha256: payloadHash(readFileSync(path)) },
    };
  }

  health(): Omit<DestinationHealth, 'queued'> {
    return { kind: this.kind, ...this.status };
  }

  async close(): Promise<void> {}
}
