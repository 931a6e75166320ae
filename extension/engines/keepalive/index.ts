/** The HTTP keep-alive engine: real experiments on loopback sockets, recorded as events. */
export { KEEPALIVE_KIND, KeepAliveModel, keepAliveFactory } from './model';
export { PRESETS, presetInfos, presetSettings } from './presets';
export { assertRunFits, runExperiment } from './runner';
export type { RunHooks } from './runner';
export { eventLabel, keepAliveEventSchema } from './events';
export type { KeepAliveEvent, RunEvent } from './events';
export { countersOf } from './state';
