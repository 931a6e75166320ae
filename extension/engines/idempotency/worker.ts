import { serveModel } from '../core/modelWorker';
import { idempotencyFactory } from './model';

serveModel(idempotencyFactory);
