import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createAdaptersStore } from './areas/adapters/adapters-store.ts';
import { AdaptersStoreContext } from './areas/adapters/useAdapters.ts';
import { createGenerateStore } from './areas/generate/generate-store.ts';
import { GenerateStoreContext } from './areas/generate/useGenerate.ts';
import { createTrainStore } from './areas/train/trainStore.ts';
import { TrainStoreContext } from './areas/train/useTrain.ts';
import { createWorkerClient } from './client/createClient.ts';
import { createAppStore } from './store.ts';
import { AppStoreContext } from './useApp.ts';
import './styles.css';

const client = createWorkerClient();
const store = createAppStore(client);
const generateStore = createGenerateStore(
  client,
  new URL(`${import.meta.env.BASE_URL}models/punchline-tiny/`, window.location.href).href,
);
const adaptersStore = createAdaptersStore(client);
const trainStore = createTrainStore(client);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <AppStoreContext.Provider value={store}>
      <GenerateStoreContext.Provider value={generateStore}>
        <AdaptersStoreContext.Provider value={adaptersStore}>
          <TrainStoreContext.Provider value={trainStore}>
            <App />
          </TrainStoreContext.Provider>
        </AdaptersStoreContext.Provider>
      </GenerateStoreContext.Provider>
    </AppStoreContext.Provider>
  </StrictMode>,
);
void store.getState().actions.start();
