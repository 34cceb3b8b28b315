/** A FITS file that cannot be read or written, with the file (or source) it came from. */
export class FitsError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'FitsError';
  }
}
