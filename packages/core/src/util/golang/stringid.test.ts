import { describe, expect, it } from 'vitest';
import { truncateId } from './stringid.js';

const PAUSE_IMAGE_ID = 'sha256:e6f1816883972d4be47bd48879a08919b96afcd344132622e4d444987919323c';

describe('truncateId (moby stringid.TruncateID)', () => {
  it('drops the algorithm and keeps 12 characters', () => {
    expect(truncateId(PAUSE_IMAGE_ID)).toBe('e6f181688397');
    expect(truncateId('abc')).toBe('abc');
  });
});
