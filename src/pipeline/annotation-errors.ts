import { FitsError } from '../formats/fits/index.js';
import type { GraceDbClient } from '../gracedb/client.js';
import type { Logger } from '../log/index.js';
import { ScienceInputError } from '../science/index.js';
import { SkyMapError } from '../skymap/multiorder.js';

/**
 * Bad input to an annotation (a template without masses, a FITS file that does not read) cannot
 * get better by retrying: the task says so on the event's page, where the operator looks, and
 * ends. Anything else (GraceDB unreachable...) is thrown for the engine to report.
 */
export async function reportBadInput(
  gracedb: GraceDbClient,
  graceid: string,
  what: string,
  err: unknown,
  log: Logger,
): Promise<boolean> {
  if (!(err instanceof ScienceInputError) && !isBadFile(err)) return false;
  const message = `${what} failed: ${(err as Error).message}`;
  log.warn({ graceid, err: (err as Error).message }, `${what} failed on bad input`);
  await gracedb.upload(null, null, graceid, message);
  return true;
}

function isBadFile(err: unknown): boolean {
  return err instanceof FitsError || err instanceof SkyMapError;
}
