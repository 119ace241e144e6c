/** The simulation engine: virtual time, ordered events, seeded randomness and tracing. */
export { Prng } from './prng.js';
export { EventQueue, type SimEvent } from './events.js';
export { TraceBus, type TraceEvent } from './trace.js';
