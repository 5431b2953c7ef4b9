/** Run the netsim CLI with explicit argv and output sinks (for tests and embedding). */
export { main } from './main.js';
