import type { Command } from 'commander';
import { inspect } from '../../engine/inspect.js';
import { bootApp } from '../boot.js';

function ago(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  return s < 120
    ? `${s.toFixed(1)} s`
    : s < 7200
      ? `${(s / 60).toFixed(1)} min`
      : `${(s / 3600).toFixed(1)} h`;
}

export function register(program: Command): void {
  program
    .command('inspect')
    .description(
      'workers (online/offline, queues, concurrency, running tasks), queue depths, scheduled tasks',
    )
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }, command: Command) => {
      const { app } = await bootApp(command, { needsSharedBroker: true, logLevel: 'warn' });
      try {
        const report = await inspect(app);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          return;
        }
        const now = Date.now();
        const out: string[] = ['Workers:'];
        if (report.workers.length === 0) out.push('  (none has ever reported)');
        for (const w of report.workers) {
          out.push(
            `  ${w.name}  ${w.online ? 'online' : 'OFFLINE'}  queues=${w.queues.join(',')}  ` +
              `concurrency=${w.concurrency}  pid=${w.pid}  last heartbeat ${ago(now - w.lastHeartbeat)} ago`,
          );
          for (const t of w.active)
            out.push(`    running ${t.name} ${t.id} for ${ago(now - t.startedAt)}`);
          for (const [key, value] of Object.entries(w.stats ?? {})) {
            out.push(`    ${key}: ${JSON.stringify(value)}`);
          }
        }
        out.push('Queues:');
        for (const [name, q] of Object.entries(report.queues)) {
          out.push(
            `  ${name.padEnd(16)} waiting ${String(q.waiting).padStart(5)}  active ${String(q.active).padStart(3)}  ` +
              `scheduled ${String(q.delayed).padStart(5)}${q.limit ? `  (serial: at most ${q.limit} at a time)` : ''}`,
          );
        }
        out.push(`Scheduled (${report.scheduled.length} shown):`);
        for (const s of report.scheduled) {
          out.push(`  ${new Date(s.eta).toISOString()}  ${s.task}  ${s.id}  [${s.queue}]`);
        }
        process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        await app.close();
      }
    });
}
