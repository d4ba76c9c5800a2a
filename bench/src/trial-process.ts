/** Runs one `TrialRequest` in its own process (`trial.ts`) and returns its result. */
import { once } from 'node:events';
import { spawnTsEntry, stopChild } from './child-process.js';
import type { TrialRequest, TrialResult } from './trial-types.js';

export async function runTrial(request: TrialRequest, timeoutMs: number): Promise<TrialResult> {
  const child = spawnTsEntry('./trial.ts', [JSON.stringify(request)]);
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = new Promise<TrialResult>((resolve, reject) => {
      child.on('message', (message: { type?: string; result?: TrialResult }) => {
        if (message.type === 'result' && message.result) resolve(message.result);
      });
      child.once('exit', (code) =>
        reject(new Error(`the ${request.client} trial exited with code ${code} without a result`)),
      );
      timer = setTimeout(
        () => reject(new Error(`the ${request.client} trial took over ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    const result = await answer;
    if (child.exitCode === null) await once(child, 'exit');
    return result;
  } finally {
    clearTimeout(timer);
    await stopChild(child);
  }
}
