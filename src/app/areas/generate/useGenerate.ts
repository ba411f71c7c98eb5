import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { GenerateState, GenerateStore } from './generate-store.ts';

export const GenerateStoreContext = createContext<GenerateStore | null>(null);

export function useGenerate<T>(selector: (state: GenerateState) => T): T {
  const store = useContext(GenerateStoreContext);
  if (!store) throw new Error('useGenerate must be used inside <GenerateStoreContext.Provider>.');
  return useStore(store, selector);
}
