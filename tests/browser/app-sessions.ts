/**
 * App sessions for one browser test file: every session a test opens is closed after it, and the test fails
 * if the page logged a console error or the page asked a host other than 127.0.0.1 for anything.
 */
import { afterEach, expect } from 'vitest';
import { openApp, type AppSession, type OpenOptions } from './harness.ts';

export function appSessions(baseUrl: string): (options?: OpenOptions) => Promise<AppSession> {
  const open: AppSession[] = [];
  afterEach(async () => {
    for (const session of open.splice(0)) {
      await session.close();
      expect(session.consoleErrors).toEqual([]);
      expect(session.foreignRequests()).toEqual([]);
    }
  });
  return async (options) => {
    const session = await openApp(baseUrl, options);
    open.push(session);
    return session;
  };
}
