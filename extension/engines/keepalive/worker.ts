import { serveModel } from '../core/modelWorker';
import { keepAliveFactory } from './model';

serveModel(keepAliveFactory);
