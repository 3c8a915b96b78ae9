// At most `slots` tasks at once; the others wait in order. A slot is handed straight to the next
// waiter, so a caller arriving in between cannot push the count past the limit.

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function limiter(slots: number): Limiter {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active < slots) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
