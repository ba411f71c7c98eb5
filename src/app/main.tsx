import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createWorkerClient } from './client/createClient.ts';
import { createAppStore } from './store.ts';
import { AppStoreContext } from './useApp.ts';
import './styles.css';

const store = createAppStore(createWorkerClient());
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <AppStoreContext.Provider value={store}>
      <App />
    </AppStoreContext.Provider>
  </StrictMode>,
);
void store.getState().actions.start();
