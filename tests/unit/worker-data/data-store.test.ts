import { afterEach, beforeEach, expect, test } from 'vitest';
import { createDataStore } from '../../../src/app/areas/data/dataStore.ts';
import { fixtureBytes, wireData, type DataWiring } from './wiring.ts';

let w: DataWiring;
beforeEach(async () => {
  w = await wireData();
});
afterEach(() => w.close());

const CSV = [
  'joke,funny',
  'Why did the chicken cross the road? To get to the other side.,1',
  'I told a chemistry joke but got no reaction.,1',
  'why did the chicken cross the road?  To get to the other side!,1',
  'The meeting moved to Thursday afternoon at three.,0',
  'Please return the forms by Friday.,0',
].join('\n');

test('the store reads a file, audits it, fixes it into version 2, and a fresh store opens the newest version', async () => {
  const store = createDataStore(w.client);
  const { actions } = store.getState();
  await actions.readFile(new File([CSV], 'jokes.csv', { type: 'text/csv' }));
  expect(store.getState().ingest).toEqual({ status: 'idle' });
  expect(store.getState().current).toMatchObject({ number: 1, rowCount: 5, name: 'jokes.csv' });
  expect(store.getState().versions).toHaveLength(1);

  await actions.runAudit();
  const audit = store.getState().audit;
  expect(audit.status).toBe('ready');
  expect(audit.status === 'ready' && audit.view.oneClick.exactDuplicates).toBe(1);
  expect(store.getState().findings.page?.total).toBeGreaterThan(0);

  await actions.applyFix({ kind: 'drop-exact-duplicates' }, 'Dropping exact duplicates');
  expect(store.getState().message).toBeNull();
  expect(store.getState().current).toMatchObject({ number: 2, rowCount: 4 });
  expect(store.getState().audit).toEqual({ status: 'idle' });
  expect(store.getState().versions.map((v) => v.number)).toEqual([2, 1]);

  const reopened = createDataStore(w.client);
  await reopened.getState().actions.start();
  expect(reopened.getState().current).toMatchObject({ number: 2, rowCount: 4 });
  expect(reopened.getState().versions).toHaveLength(2);
});

test('an audit still running when another version is opened never shows its report under that version', async () => {
  const store = createDataStore(w.client);
  const { actions } = store.getState();
  await actions.readFile(new File([CSV], 'first.csv'));
  const first = store.getState().current?.id ?? '';
  await actions.readFile(new File([fixtureBytes('gbk-zh.csv')], 'gbk-zh.csv'));
  await actions.openVersion(first);
  const running = actions.runAudit();
  const second = store.getState().versions.find((v) => v.id !== first)?.id ?? '';
  await actions.openVersion(second);
  await running;
  expect(store.getState().current?.id).toBe(second);
  expect(store.getState().audit).toEqual({ status: 'idle' });
});

test('a file that cannot be read leaves one message and no version', async () => {
  const store = createDataStore(w.client);
  await store.getState().actions.readFile(new File([fixtureBytes('pixel.png')], 'pixel.png'));
  const ingest = store.getState().ingest;
  expect(ingest.status).toBe('failed');
  expect(ingest.status === 'failed' && ingest.message).toMatch(/pixel\.png/);
  expect(store.getState().current).toBeNull();
  expect(store.getState().versions).toEqual([]);
});
