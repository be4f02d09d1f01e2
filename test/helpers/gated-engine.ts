/**
 * The stub engine, held at the start of each `segment` until the test opens the gate: for
 * observing a request while it is inside the engine (a job `processing`, a server closing).
 *
 * @example
 *   const gated = gatedEngine(config.limits.maxPixels);
 *   … start a request …; await gated.started; … look at the state …; gated.open();
 */
import { createStubEngine, type Engine } from '../../src/engine/index.js';

export function gatedEngine(maxPixels: number): { engine: Engine; open(): void; started: Promise<void> } {
  const real = createStubEngine({ maxPixels });
  let open!: () => void;
  let markStarted!: () => void;
  const gate = new Promise<void>((r) => {
    open = r;
  });
  const started = new Promise<void>((r) => {
    markStarted = r;
  });
  return {
    engine: {
      ...real,
      async segment(req) {
        markStarted();
        await gate;
        return real.segment(req);
      },
    },
    open: () => open(),
    started,
  };
}
