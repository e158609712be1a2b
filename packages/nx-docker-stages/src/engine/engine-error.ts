/**
 * The engine layer's one way to fail: an error whose message is for people (the project, what the
 * engine said, the fix), with the tail of the engine's output when there is one. Every engine
 * operation throws it; the executor and the cache restore catch it and report it their way.
 * Pure decisions of this layer (which client, what a cache hit must do) return tagged unions instead.
 */
export class EngineError extends Error {
  constructor(
    message: string,
    /** The end of what the engine printed, to show with the message; empty when nothing ran. */
    readonly output = '',
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
