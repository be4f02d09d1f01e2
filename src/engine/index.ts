/**
 * The engine's public API: what the HTTP layer, the CLI and the scripts import.
 * Internals (preprocessing, sessions, cache, queue) stay behind `createEngine`.
 */
export { type CreateEngineOptions, createEngine } from './create-engine.js';
export { probeImage } from './image-codec.js';
export { checkPromptsInImage, MAX_POINTS, parsePrompts } from './prompts.js';
export { createStubEngine, type StubEngineOptions } from './stub-engine.js';
export type * from './types.js';
