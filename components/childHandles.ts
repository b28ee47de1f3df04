/**
 * A component's TypeScript-only handles (its children, its validated args), kept off the instance: Pulumi's schema
 * inference reads every class property as an output, so a component exposes these through getters over this store.
 */
export interface ChildHandles<C extends object, P extends object> {
  /** Starts an instance's handles (filled as its constructor declares the children). */
  readonly start: (component: C, initial: Partial<P>) => P;
  readonly of: (component: C) => P;
}

export function childHandles<C extends object, P extends object>(): ChildHandles<C, P> {
  const store = new WeakMap<C, P>();
  return {
    start: (component, initial) => {
      const handles = { ...initial } as P;
      store.set(component, handles);
      return handles;
    },
    of: (component) => store.get(component)!,
  };
}
