/**
 * GraceDB keeps every upload of a file name as a new version and names a version `name,N`.
 * A file name itself never contains a comma.
 */
export interface VersionedFilename {
  name: string;
  /** Undefined for the bare name, which means the newest version. */
  version?: number;
}

const VERSIONED = /^([^,]+),(\d+)$/;

/** Splits `name,N`; a bare `name` has no version. Throws on anything else with a comma. */
export function parseVersionedFilename(filename: string): VersionedFilename {
  if (!filename.includes(',')) return { name: filename };
  const m = VERSIONED.exec(filename);
  if (!m) throw new Error(`invalid file name '${filename}': expected 'name' or 'name,N'`);
  return { name: m[1]!, version: Number(m[2]) };
}

export function formatVersionedFilename(name: string, version: number): string {
  return `${name},${version}`;
}
