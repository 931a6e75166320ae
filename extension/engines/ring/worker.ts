import { serveModel } from '../core/modelWorker';
import { ringFactory } from './model';

serveModel(ringFactory);
