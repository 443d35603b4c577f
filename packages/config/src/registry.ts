import type { AnyComponentFactory, ComponentKind } from '@otlp-kafka/core';

export type { ComponentKind };

/**
 * The component types a config may name: factories by kind and type (or
 * alias). The config layer knows no component package; whoever assembles the
 * service (the CLI, or a program embedding otlp-kafka) registers them.
 */
export interface Registry {
  /** Adds a factory; throws when its kind already has a factory for its type or one of its aliases. */
  register(factory: AnyComponentFactory): Registry;
  /** The factory for a type or alias, if registered. */
  lookup(kind: ComponentKind, type: string): AnyComponentFactory | undefined;
  /** Every name a config may use for this kind (types and aliases), sorted: for error messages. */
  types(kind: ComponentKind): string[];
  /** The registered factories, in registration order. */
  readonly factories: readonly AnyComponentFactory[];
}

export function createRegistry(factories: readonly AnyComponentFactory[] = []): Registry {
  const byName = new Map<string, AnyComponentFactory>();
  const list: AnyComponentFactory[] = [];
  const key = (kind: ComponentKind, name: string) => `${kind}\u0000${name}`;
  const registry: Registry = {
    register(factory) {
      const names = [factory.type, ...(factory.aliases ?? [])];
      for (const name of names) {
        if (!/^[a-z][a-z0-9_]*$/.test(name))
          throw new TypeError(`${factory.kind} type "${name}": use lower_snake_case (letters, digits, _)`);
        const taken = byName.get(key(factory.kind, name));
        if (taken)
          throw new TypeError(
            `${factory.kind} type "${name}" is already registered (by the factory of type ${taken.type})`,
          );
      }
      for (const name of names) byName.set(key(factory.kind, name), factory);
      list.push(factory);
      return registry;
    },
    lookup: (kind, type) => byName.get(key(kind, type)),
    types: (kind) =>
      list
        .filter((f) => f.kind === kind)
        .flatMap((f) => [f.type, ...(f.aliases ?? [])])
        .sort(),
    get factories() {
      return [...list];
    },
  };
  for (const f of factories) registry.register(f);
  return registry;
}
