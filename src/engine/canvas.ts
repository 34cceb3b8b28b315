import { randomUUID } from 'node:crypto';
import type { CanvasNode, ChainNode, ChordNode, GroupNode } from './message.js';

/** Runs nodes one after the other, each receiving the previous result as first argument. */
export function chain(...tasks: CanvasNode[]): ChainNode {
  if (tasks.length === 0) throw new Error('a chain needs at least one task');
  return { kind: 'chain', id: '', tasks };
}

/** Runs nodes in parallel; its result is the list of their results. */
export function group(...tasks: CanvasNode[] | [CanvasNode[]]): GroupNode {
  const list = (tasks.length === 1 && Array.isArray(tasks[0]) ? tasks[0] : tasks) as CanvasNode[];
  return { kind: 'group', id: '', tasks: list };
}

/** A group feeding one task: the body runs once every header member has finished. */
export function chord(header: CanvasNode[] | GroupNode, body: CanvasNode): ChordNode {
  const members = Array.isArray(header) ? header : header.tasks;
  return { kind: 'chord', id: '', header: members, body };
}

/** Copies a canvas, giving every node without one a fresh id. */
export function freeze<T extends CanvasNode>(node: T): T {
  const id = node.id || randomUUID();
  switch (node.kind) {
    case 'task':
      return { ...node, id, args: [...node.args] };
    case 'chain':
      return { ...node, id, tasks: node.tasks.map(freeze) };
    case 'group':
      return { ...node, id, tasks: node.tasks.map(freeze) };
    case 'chord':
      return { ...node, id, header: node.header.map(freeze), body: freeze(node.body) };
  }
}

/** The id whose result is the node's result (a group's is its own id, see GroupResult). */
export function resultId(node: CanvasNode): string {
  switch (node.kind) {
    case 'task':
    case 'group':
      return node.id;
    case 'chain':
      return resultId(node.tasks[node.tasks.length - 1]);
    case 'chord':
      return resultId(node.body);
  }
}

/** Every task id inside a canvas (to fail them all when their ancestor fails). */
export function taskIds(node: CanvasNode, out: string[] = []): string[] {
  switch (node.kind) {
    case 'task':
      out.push(node.id);
      break;
    case 'chain':
    case 'group':
      for (const child of node.tasks) taskIds(child, out);
      break;
    case 'chord':
      for (const child of node.header) taskIds(child, out);
      taskIds(node.body, out);
      break;
  }
  return out;
}
