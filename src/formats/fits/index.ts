/** FITS primary headers and binary tables: read and write, plain or gzipped. */
export * from './bintable.js';
export * from './card.js';
export * from './errors.js';
export * from './header.js';
export * from './read.js';
export * from './render.js';
export * from './write.js';
