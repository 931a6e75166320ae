/**
 * A hash function taken from the user's code ("Use Selection as Hash Function"), as it travels in
 * a session's configuration: plain JavaScript (types already stripped by the host) and the
 * expression that names the function. Schema and type only, so protocol files and webviews can
 * import it without pulling in the evaluator (selectedHash.ts, which needs `node:vm`).
 */
import { Infer, obj, str } from '../core/schema';

/** The name under which sessions and intents refer to a selected hash, beside the engine's named ones. */
export const SELECTED_HASH = 'custom';

export const selectedHashSource = obj({
  /** The function's name as selected ("anonymous function" when it has none), for labels. */
  name: str({ min: 1, max: 100 }),
  /** JavaScript that defines the function (and whatever else the selection declares). */
  script: str({ min: 1, max: 100_000 }),
  /** An expression that evaluates to the function once `script` has run. */
  entry: str({ min: 1, max: 300 }),
});
export type SelectedHashSource = Infer<typeof selectedHashSource>;

/** How a view names a selected hash: "fnv (your code)". */
export function selectedHashLabel(source: Pick<SelectedHashSource, 'name'>): string {
  return `${source.name} (your code)`;
}
