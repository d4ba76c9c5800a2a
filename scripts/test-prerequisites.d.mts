/** One system program the tests need, and the Debian package that provides it. */
export interface Prerequisite {
  debianPackage: string;
  command: string;
  /** An environment variable that points to the program instead. */
  env?: string;
  why: string;
}

export const PREREQUISITES: readonly Prerequisite[];

export type PrerequisitePlan =
  | { action: 'none' }
  | { action: 'install'; packages: string[]; commands: string[][] }
  | { action: 'fail'; packages: string[]; message: string };

export function planPrerequisites(machine: {
  hasCommand: (command: string) => boolean;
  env: Record<string, string | undefined>;
  isRoot: boolean;
  prerequisites?: readonly Prerequisite[];
}): PrerequisitePlan;

export function onPath(command: string, path?: string): boolean;
