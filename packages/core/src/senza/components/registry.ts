import type { ComponentType } from './component.js';

const all: ComponentType[] = [];

/** Component types by their `Type` name (`Senza::TaupageAutoScalingGroup`, ...). */
export const componentTypes: ReadonlyMap<string, ComponentType> = new Map(all.map((c) => [c.type, c]));
