/** Run the netsim CLI with explicit argv and output sinks (for tests and embedding). */
export { main } from './main.js';
/** Human-readable rendering of a trace result. */
export { formatTrace } from './trace-format.js';
