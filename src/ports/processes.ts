// The Processes port: who this process is, and whether another process on this host still lives.
// Lock staleness uses it: an owner on this host whose pid is dead cannot be holding its lock.

export interface Processes {
  readonly pid: number;
  readonly host: string;
  isAlive(pid: number): boolean;
}
