// The browser tests: one headless Chromium (and one server) for all of them, so they
// run one after another rather than as two browsers fighting for the cores.
// Without Chromium they are skipped with a message, unless CI=true (then they fail).
import { describe } from 'vitest';
import { backendSuite, entrySuite } from './backend_suite.js';
import { announceSkip, hasChromium, useBrowserEnv } from './browser_env.js';
import { demoSuite } from './demo_suite.js';

announceSkip('chromium.test.ts');

describe.skipIf(!hasChromium)('strata in headless Chromium', () => {
  const env = useBrowserEnv();
  describe('browser entry', () => entrySuite(env));
  describe('backends', () => backendSuite(env));
  describe('demo page', () => demoSuite(env));
});
