/**
 * Builds a node's input from its connections (scale.md 4.3): a recipe connection copies a recipe input, a
 * dependency connection copies a parent job's output (or what a parent condition passed on). File values stay
 * files, JSON values stay JSON; a value the source does not have (an optional one) is left out.
 */
import type { Data, RecipeNodeDefinition } from '@scale/contracts';
import type { NodeState } from './tree.ts';

/** The data a node passes to its children, or undefined when it has none (yet). */
export function nodeOutput(state: NodeState | undefined): Data | undefined {
  if (state?.kind === 'job') return state.output ?? undefined;
  if (state?.kind === 'condition') return state.data;
  return undefined;
}

export function wireInput(
  node: RecipeNodeDefinition,
  recipeInput: Data,
  nodes: Readonly<Record<string, NodeState>>,
): Data {
  const data: Data = { files: {}, json: {} };
  for (const [name, connection] of Object.entries(node.input)) {
    const source = connection.type === 'recipe' ? recipeInput : nodeOutput(nodes[connection.node]);
    const key = connection.type === 'recipe' ? connection.input : connection.output;
    if (!source) continue;
    const files = source.files[key];
    if (files !== undefined) data.files[name] = [...files];
    else if (key in source.json) data.json[name] = source.json[key];
  }
  return data;
}
