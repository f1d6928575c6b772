import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../contract/platform-service.js';
import { PLATFORM_SERVICES } from './services.js';

describe('the platform services', () => {
  it('are named as the CLI knows them (up --port NAME=N), in start order', () => {
    expect(PLATFORM_SERVICES.map((s) => s.name)).toEqual([...SERVICE_NAMES]);
  });
});
