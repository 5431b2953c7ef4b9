// The prometheus plugin's setup (plugin/metrics/setup.go): `prometheus [ADDRESS]`, no block.

import { type Setup, setupAddressOnly } from './setup.js';

export const setupPrometheus: Setup = setupAddressOnly('prometheus');
