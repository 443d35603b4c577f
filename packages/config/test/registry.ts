import { BUILTIN_FACTORIES } from '../src/components/factories.js';
import { createRegistry } from '../src/registry.js';

/** The built-in component factories, as the CLI registers them. */
export const registry = createRegistry(BUILTIN_FACTORIES);
