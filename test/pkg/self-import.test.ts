import { describe, it, expect } from 'vitest';
import { DRIVERLAB_VERSION } from 'driverlab';

describe('package entry', () => {
  it('resolves the package by its own name, as drivers import it', () => {
    expect(DRIVERLAB_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
