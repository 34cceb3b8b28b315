/** A classification ready to upload: the JSON file and its figure. */
export interface ClassificationFile {
  /** e.g. `em_bright.json`, `spiir.p_astro.json`. */
  filename: string;
  /** File contents, byte-identical in layout to the reference's `json.dumps`. */
  json: string;
  /** e.g. `em_bright.png`, `spiir.p_astro.png`. */
  pngFilename: string;
  png: Buffer;
}
