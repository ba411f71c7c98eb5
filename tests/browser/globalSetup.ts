import type { TestProject } from 'vitest/node';
import { startPreviewServer } from './harness.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** One preview server of the built app for the whole browser-test run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPreviewServer();
  project.provide('baseUrl', server.url);
  return () => server.stop();
}
