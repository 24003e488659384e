import type { DecodeDispatchSchedule } from '../../src/providers/llama-cpp/decode-dispatch-schedule.js';

/**
 * Whether a decode scheduled after `arrivals` new prompts starts before the end of the event-loop
 * turn in which it was asked for (a lone request on an idle context does), or only after it.
 *
 * @example
 * assert.equal(await startsWithinTurn(schedule, 1), true);
 */
export async function startsWithinTurn(schedule: DecodeDispatchSchedule, arrivals: number): Promise<boolean> {
  for (let arrival = 0; arrival < arrivals; arrival++) schedule.noteArrival();
  const order: string[] = [];
  const started = new Promise<void>((resolve) =>
    schedule.dispatch(() => {
      order.push('decode');
      resolve();
    }),
  );
  setImmediate(() => order.push('turn end'));
  await started;
  await new Promise((resolve) => setImmediate(resolve));
  return order[0] === 'decode';
}
