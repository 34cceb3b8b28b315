/**
 * Every problem the LIGO_LW reader or writer finds is a LigoLwError. Its message names the file
 * (when the caller gave one), the line (when the problem has a place in the text) and what is
 * wrong, because the person reading it is usually an operator looking at a rejected upload.
 */
export interface LigoLwErrorPlace {
  /** File name (or other label) the caller gave for the bytes. */
  file?: string | undefined;
  /** 1-based line in the decompressed XML text. */
  line?: number | undefined;
}

export class LigoLwError extends Error {
  override readonly name = 'LigoLwError';
  readonly file: string | undefined;
  readonly line: number | undefined;
  /** The problem alone, without the file and line prefix. */
  readonly problem: string;

  constructor(problem: string, place: LigoLwErrorPlace = {}, options?: { cause?: unknown }) {
    super(formatPlace(place) + problem, options);
    this.file = place.file;
    this.line = place.line;
    this.problem = problem;
  }
}

function formatPlace(place: LigoLwErrorPlace): string {
  const file = place.file ?? 'LIGO_LW document';
  return place.line === undefined ? `${file}: ` : `${file}, line ${place.line}: `;
}
