// The ready plugin's setup (plugin/ready/setup.go): `ready [ADDRESS]`, no block.

import { type Setup, setupAddressOnly } from './setup.js';

export const setupReady: Setup = setupAddressOnly('ready');
