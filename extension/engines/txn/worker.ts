import { serveModel } from '../core/modelWorker';
import { txnFactory } from './model';

serveModel(txnFactory);
