import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { TrainState, TrainStore } from './trainStore.ts';

export const TrainStoreContext = createContext<TrainStore | null>(null);

export function useTrain<T>(selector: (state: TrainState) => T): T {
  const store = useContext(TrainStoreContext);
  if (!store) throw new Error('useTrain must be used inside <TrainStoreContext.Provider>.');
  return useStore(store, selector);
}
