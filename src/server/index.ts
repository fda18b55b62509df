export { createAppContext } from './context.ts';
export { startCarnet } from './start.ts';
export { defaultWorkerCount, forkWorkers, isClusterWorker, runWorker, workersReady } from './workers.ts';
