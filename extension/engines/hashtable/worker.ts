import { serveModel } from '../core/modelWorker';
import { hashTableFactory } from './model';

serveModel(hashTableFactory);
