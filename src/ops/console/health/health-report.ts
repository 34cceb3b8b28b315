import { statfs } from 'node:fs/promises';
import { Redis } from 'ioredis';
import type { Config } from '../../../config/index.js';
import type { App } from '../../../engine/index.js';
import type { GraceDbClient } from '../../../gracedb/client.js';
import { expectationsFromConfig, runNagiosChecks } from '../../nagios/nagios-checks.js';
import { liveProbe } from '../../nagios/nagios-probes.js';
import type { NagiosResult } from '../../nagios/nagios-status.js';

export type Level = 'ok' | 'warning' | 'critical' | 'unknown';

export interface RedisMemory {
  level: Level;
  usedBytes?: number;
  peakBytes?: number;
  maxBytes?: number;
  fragmentation?: number;
  aofEnabled?: boolean;
  error?: string;
}

export interface DiskUse {
  level: Level;
  path: string;
  totalBytes?: number;
  freeBytes?: number;
  usedPercent?: number;
  error?: string;
}

export interface HealthReport {
  checkedAt: number;
  nagios: NagiosResult;
  /** Absent when the broker is not Redis. */
  redis?: RedisMemory;
  /** Absent without a data directory. */
  disk?: DiskUse;
}

/** Fields of INFO: `key:value` lines. */
export function parseRedisInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

export function levelOf(value: number, warn: number, critical: number): Level {
  if (critical > 0 && value >= critical) return 'critical';
  if (warn > 0 && value >= warn) return 'warning';
  return 'ok';
}

/**
 * What the health page shows: the Nagios checks run against this deployment, Redis memory
 * (the reference's documented risk is Redis filling the disk) and the data directory's disk
 * use, each against the configured thresholds. Results are reused for a few seconds so that
 * an auto-refreshing page does not run the checks continuously.
 */
export class HealthMonitor {
  private redis: Redis | undefined;
  private last: { at: number; report: Promise<HealthReport> } | undefined;

  constructor(
    private readonly app: App,
    private readonly config: Config,
    private readonly gracedb: GraceDbClient,
    private readonly reuseMs = 5000,
  ) {}

  report(): Promise<HealthReport> {
    const now = Date.now();
    if (!this.last || now - this.last.at > this.reuseMs) {
      this.last = { at: now, report: this.gather() };
    }
    return this.last.report;
  }

  private async gather(): Promise<HealthReport> {
    const [nagios, redis, disk] = await Promise.all([
      runNagiosChecks(liveProbe(this.app, this.gracedb), expectationsFromConfig(this.config)),
      this.redisMemory(),
      this.diskUse(),
    ]);
    return {
      checkedAt: Date.now(),
      nagios,
      ...(redis ? { redis } : {}),
      ...(disk ? { disk } : {}),
    };
  }

  private async redisMemory(): Promise<RedisMemory | undefined> {
    if (!/^rediss?:\/\//.test(this.config.broker_url)) return undefined;
    this.redis ??= new Redis(this.config.broker_url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      connectionName: 'gwcelery-console-health',
      retryStrategy: (n) => Math.min(200 * 2 ** n, 5000),
    });
    this.redis.on('error', () => undefined); // reported per request below
    try {
      const [memory, persistence] = await Promise.all([
        this.redis.info('memory'),
        this.redis.info('persistence'),
      ]);
      const m = parseRedisInfo(memory);
      const p = parseRedisInfo(persistence);
      const used = Number(m.used_memory);
      const mb = 1024 * 1024;
      return {
        level: levelOf(
          used,
          this.config.health_redis_memory_warn_mb * mb,
          this.config.health_redis_memory_critical_mb * mb,
        ),
        usedBytes: used,
        peakBytes: Number(m.used_memory_peak),
        maxBytes: Number(m.maxmemory) || undefined,
        fragmentation: Number(m.mem_fragmentation_ratio),
        aofEnabled: p.aof_enabled === '1',
      };
    } catch (err) {
      return { level: 'unknown', error: (err as Error).message };
    }
  }

  private async diskUse(): Promise<DiskUse | undefined> {
    const path = this.config.data_dir;
    if (!path) return undefined;
    try {
      const s = await statfs(path);
      const total = s.blocks * s.bsize;
      const free = s.bavail * s.bsize;
      const usedPercent = total > 0 ? (100 * (total - free)) / total : 0;
      return {
        level: levelOf(
          usedPercent,
          this.config.health_disk_warn_percent,
          this.config.health_disk_critical_percent,
        ),
        path,
        totalBytes: total,
        freeBytes: free,
        usedPercent,
      };
    } catch (err) {
      return { level: 'unknown', path, error: (err as Error).message };
    }
  }

  close(): void {
    this.redis?.disconnect();
  }
}
