/** HEALPix (Górski et al. 2005): pixel indexing in the NESTED, RING and NUNIQ schemes. */
export * from './convert.js';
export * from './disc.js';
export type { FacePixel, RingPosition } from './face.js';
export * from './nested.js';
export * from './resolution.js';
export * from './ring.js';
export * from './uniq.js';
export * from './vector.js';
