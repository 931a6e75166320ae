import { serveModel } from '../core/modelWorker';
import { poolModelFactory } from './model';

// Leak reports carry the borrower's stack: map the bundle's positions back to the sources.
process.setSourceMapsEnabled(true);
serveModel(poolModelFactory);
