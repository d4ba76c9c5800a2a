/**
 * Matches a request to a simulator's route by the OpenAPI path templates the simulators
 * declare. A literal segment beats a `{param}` segment, so `/certificate-vault/upload-file` wins
 * over `/certificate-vault/{uuid}`.
 */
import type { Route, VendorSimulator } from './types.js';

interface CompiledRoute {
  simulator: VendorSimulator;
  route: Route;
  segments: Segment[];
  literals: number;
}

type Segment = { literal: string } | { param: string };

export type RouteMatch =
  | { kind: 'route'; simulator: VendorSimulator; route: Route; params: Record<string, string> }
  /** The path exists with other methods: `allowed` lists them. */
  | { kind: 'method'; simulator: VendorSimulator; allowed: string[] }
  | { kind: 'none'; simulator: VendorSimulator | undefined };

export class Router {
  readonly #routes: CompiledRoute[] = [];
  readonly #simulators: VendorSimulator[];

  constructor(simulators: readonly VendorSimulator[]) {
    this.#simulators = [...simulators];
    for (const simulator of simulators) {
      for (const route of simulator.routes) {
        const segments = splitPath(route.path).map(
          (part): Segment =>
            /^\{[^}]+\}$/.test(part) ? { param: part.slice(1, -1) } : { literal: part },
        );
        this.#routes.push({
          simulator,
          route,
          segments,
          literals: segments.filter((s) => 'literal' in s).length,
        });
      }
    }
    // More literal segments first; the sort is stable, so declaration order breaks ties.
    this.#routes.sort((a, b) => b.literals - a.literals);
  }

  /** The vendor whose longest prefix starts the path, for 404s and vendor-scoped faults. */
  vendorFor(path: string): VendorSimulator | undefined {
    let best: VendorSimulator | undefined;
    let bestLength = -1;
    for (const simulator of this.#simulators) {
      for (const prefix of simulator.prefixes) {
        if (path.startsWith(prefix) && prefix.length > bestLength) {
          best = simulator;
          bestLength = prefix.length;
        }
      }
    }
    return best;
  }

  /** Throws `URIError` for a path with broken percent-encoding. */
  match(method: string, path: string): RouteMatch {
    const parts = splitPath(path).map((part) => decodeURIComponent(part));
    const allowed = new Set<string>();
    let pathSimulator: VendorSimulator | undefined;
    for (const compiled of this.#routes) {
      const params = matchSegments(compiled.segments, parts);
      if (!params) continue;
      if (compiled.route.method === method) {
        return { kind: 'route', simulator: compiled.simulator, route: compiled.route, params };
      }
      allowed.add(compiled.route.method);
      pathSimulator ??= compiled.simulator;
    }
    if (pathSimulator) return { kind: 'method', simulator: pathSimulator, allowed: [...allowed] };
    return { kind: 'none', simulator: this.vendorFor(path) };
  }
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as Segment;
    const part = parts[i] as string;
    if ('literal' in segment) {
      if (segment.literal !== part) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.param] = part;
    }
  }
  return params;
}
