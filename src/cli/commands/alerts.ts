import type { Command } from 'commander';
import type { LedgerRecord } from '../../alerts/ledger/ledger.js';
import { openAlertLedger } from '../../alerts/ledger/open-ledger.js';
import { configFor } from '../command.js';

function receiptText(record: LedgerRecord): string {
  if (record.state === 'delivered' && record.receipt) {
    const d = record.receipt.detail;
    if ('offset' in d) return `${d.topic}[${d.partition}]@${d.offset}`;
    if ('path' in d) return String(d.path);
    if ('acked' in d) return `acked by ${(d.acked as string[]).join(', ') || 'nobody yet'}`;
    return JSON.stringify(d);
  }
  if (record.state === 'pending') {
    return `claimed by ${record.claimOwner} until ${new Date(record.leaseUntil ?? 0).toISOString()}`;
  }
  return record.error ?? '';
}

export function register(program: Command): void {
  const alerts = program.command('alerts').description('the alert ledger: what was sent where');
  alerts
    .command('list')
    .description('list ledger entries, newest first')
    .option('--superevent <id>', 'only this superevent')
    .option('--destination <name>', 'only this destination')
    .option('--limit <n>', 'at most this many entries', '200')
    .option('--json', 'print JSON')
    .action(
      async (
        flags: { superevent?: string; destination?: string; limit: string; json?: boolean },
        command: Command,
      ) => {
        const limit = Number(flags.limit);
        if (!Number.isInteger(limit) || limit <= 0) {
          throw new Error(`--limit must be a positive integer, got '${flags.limit}'`);
        }
        const ledger = openAlertLedger(configFor(command));
        try {
          const records = await ledger.list({
            superevent: flags.superevent,
            destination: flags.destination,
            limit,
          });
          if (flags.json) {
            process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
            return;
          }
          if (records.length === 0) {
            process.stdout.write(`no alerts recorded in ${ledger.location}\n`);
            return;
          }
          const rows = records.map((r) => [
            r.recordedAt.slice(0, 19).replace('T', ' '),
            r.superevent,
            r.alertType,
            String(r.serial),
            r.destination,
            r.state,
            String(r.attempts),
            receiptText(r),
          ]);
          const header = [
            'recorded (UTC)',
            'superevent',
            'type',
            'serial',
            'destination',
            'state',
            'tries',
            'receipt / error',
          ];
          const widths = header.map((h, i) =>
            Math.max(h.length, ...rows.map((row) => row[i].length)),
          );
          const line = (cells: string[]) =>
            cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
          process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
        } finally {
          await ledger.close();
        }
      },
    );
}
