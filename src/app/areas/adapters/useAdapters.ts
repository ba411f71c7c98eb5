import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AdaptersState, AdaptersStore } from './adapters-store.ts';

export const AdaptersStoreContext = createContext<AdaptersStore | null>(null);

export function useAdapters<T>(selector: (state: AdaptersState) => T): T {
  const store = useContext(AdaptersStoreContext);
  if (!store) throw new Error('useAdapters must be used inside <AdaptersStoreContext.Provider>.');
  return useStore(store, selector);
}
