import { describe, expect, it } from 'vitest';
import { ellipsis } from './docker-formatter.js';

describe('ellipsis (docker/cli formatter.Ellipsis)', () => {
  it('ellipsis keeps 19 characters and adds …', () => {
    expect(ellipsis("/docker-entrypoint.sh nginx -g 'daemon off;'", 20)).toBe('/docker-entrypoint.…');
    expect(ellipsis('docker-entrypoint.sh postgres', 20)).toBe('docker-entrypoint.s…');
    expect(ellipsis('/pause', 20)).toBe('/pause');
    expect(ellipsis('12345678901234567890', 20)).toBe('12345678901234567890');
  });
});
