import type { OperationModel, ServiceModel } from './model-types.js';

/** An operation of a service, as the router returns it. */
export interface RoutedOperation {
  service: ServiceModel;
  operation: OperationModel;
  /** label values, percent-decoded once */
  labels: Record<string, string>;
}

interface RouteEntry {
  service: ServiceModel;
  operation: OperationModel;
  /** label names by segment index; greedy label last */
  labelAt: Map<number, string>;
  greedy: string | null;
  /** literal query parameters required by the template (`/x?type=y`) */
  queryLiterals: [string, string][];
}

interface Node {
  literal: Map<string, Node>;
  label: Node | null;
  greedy: RouteEntry[];
  /** routes ending exactly at this node */
  end: RouteEntry[];
}

const newNode = (): Node => ({ literal: new Map(), label: null, greedy: [], end: [] });

/**
 * Routes requests by HTTP method and the URI templates of the Smithy models (labels, greedy labels,
 * literal query parts). Literal segments win over labels, as in AWS's own routers.
 */
export class Router {
  private readonly trees = new Map<string, Node>();

  constructor(services: ServiceModel[]) {
    for (const service of services) for (const operation of service.operations) this.add(service, operation);
  }

  private add(service: ServiceModel, operation: OperationModel): void {
    const [pathPart = '', queryPart] = operation.uri.split('?', 2);
    const segments = pathPart.split('/').slice(1);
    const entry: RouteEntry = { service, operation, labelAt: new Map(), greedy: null, queryLiterals: [] };
    if (queryPart) {
      for (const pair of queryPart.split('&')) {
        const [key = '', value = ''] = pair.split('=', 2);
        entry.queryLiterals.push([key, value]);
      }
    }
    let tree = this.trees.get(operation.method);
    if (!tree) {
      tree = newNode();
      this.trees.set(operation.method, tree);
    }
    let node = tree;
    for (const [index, segment] of segments.entries()) {
      const match = /^\{([^}+]+)(\+)?\}$/.exec(segment);
      if (match?.[2]) {
        entry.greedy = match[1] ?? null;
        node.greedy.push(entry);
        return;
      }
      if (match) {
        entry.labelAt.set(index, match[1] ?? '');
        node.label ??= newNode();
        node = node.label;
      } else {
        let next = node.literal.get(segment);
        if (!next) {
          next = newNode();
          node.literal.set(segment, next);
        }
        node = next;
      }
    }
    node.end.push(entry);
  }

  /**
   * Finds the operation for a request. `path` is the raw (still percent-encoded) path, without query.
   * Returns every candidate when templates collide (e.g. tagging in two services); the caller picks.
   */
  match(method: string, path: string, query: URLSearchParams): RoutedOperation[] {
    const tree = this.trees.get(method);
    if (!tree || path.charCodeAt(0) !== 47) return [];
    const segments = path.split('/');
    segments.shift();
    const entries = this.walk(tree, segments, 0);
    const out: RoutedOperation[] = [];
    for (const { entry, greedyFrom } of entries) {
      if (!entry.queryLiterals.every(([key, value]) => (value === '' ? query.has(key) : query.get(key) === value))) continue;
      const labels: Record<string, string> = {};
      let ok = true;
      for (const [index, name] of entry.labelAt) {
        const raw = segments[index] ?? '';
        const value = safeDecode(raw);
        if (value === null || value === '') {
          ok = false;
          break;
        }
        labels[name] = value;
      }
      if (entry.greedy !== null) {
        const value = safeDecode(segments.slice(greedyFrom).join('/'));
        if (value === null || value === '') ok = false;
        else labels[entry.greedy] = value;
      }
      if (ok) out.push({ service: entry.service, operation: entry.operation, labels });
    }
    // Templates with literal query parts are more specific than those without.
    return out.sort((a, b) => b.operation.uri.length - a.operation.uri.length);
  }

  private walk(node: Node, segments: string[], index: number): { entry: RouteEntry; greedyFrom: number }[] {
    if (index === segments.length) return node.end.map((entry) => ({ entry, greedyFrom: index }));
    const segment = segments[index] ?? '';
    const literal = node.literal.get(segment);
    if (literal) {
      const found = this.walk(literal, segments, index + 1);
      if (found.length) return found;
    }
    if (node.label && segment !== '') {
      const found = this.walk(node.label, segments, index + 1);
      if (found.length) return found;
    }
    if (node.greedy.length && segment !== '') return node.greedy.map((entry) => ({ entry, greedyFrom: index }));
    return [];
  }
}

function safeDecode(value: string): string | null {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
