import { useStore } from 'zustand';
import { useApp } from '../../useApp.ts';
import type { DataState } from './dataStore.ts';

export function useData<T>(selector: (state: DataState) => T): T {
  return useStore(
    useApp((s) => s.data),
    selector,
  );
}
