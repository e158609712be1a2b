/**
 * For the property-based specs (`*.fuzz.spec.ts`) of the parsers of user files: bounded runs, text
 * built from a format's own tokens, and one call of a parser that must either return or throw the
 * one error its contract allows, and do either fast.
 */
import fc from 'fast-check';
import { WorkspaceFileError } from './workspace-file-error';

/** fast-check starts no new run of a property after this long, so that each fuzz spec stays within seconds. */
const PROPERTY_TIME_LIMIT_MS = 1500;

/**
 * The longest one parser call may take on a fuzzed input (at most some kilobytes): far more than any
 * call needs (well under a millisecond), far less than a hang or a blow-up of a regular expression.
 */
export const SLOW_CALL_MS = 1000;

/** Runs a property `numRuns` times at most; a failure prints the seed and the shrunk input (cut short when it is large). */
export function assertProperty<Ts>(property: fc.IProperty<Ts>, numRuns = 300): void {
  fc.assert(property, {
    numRuns,
    plugins: [fc.interruptAfterTimeLimit(PROPERTY_TIME_LIMIT_MS)],
    reporter: (details) => {
      if (process.env.FUZZ_STATS) console.log(`${details.numRuns} runs in ${details.interrupted ? 'the time limit (interrupted)' : 'full'}`);
      if (!details.failed) return;
      const report = (fc.defaultReportMessage(details) ?? 'the property failed').replace(/^(.{2000}).+$/gm, (_, start) => `${start}… (cut)`);
      throw Object.assign(new Error(report), { cause: details.errorInstance });
    },
  });
}

export type ParserOutcome<T> = { returned: T } | { threw: Error };

/**
 * Calls a parser on one fuzzed input. An error `allowed` refuses is thrown on (fast-check then
 * shrinks the input), and so is a call slower than SLOW_CALL_MS.
 */
export function callParser<T>(call: () => T, allowed: (error: unknown) => boolean): ParserOutcome<T> {
  const started = performance.now();
  let outcome: ParserOutcome<T>;
  try {
    outcome = { returned: call() };
  } catch (error) {
    if (!allowed(error)) throw error;
    outcome = { threw: error as Error };
  }
  const took = performance.now() - started;
  if (took > SLOW_CALL_MS) throw new Error(`the parser took ${Math.round(took)} ms on this input`);
  return outcome;
}

/**
 * The property of a parser of user files: on every input `inputs` makes, `parse` either returns a
 * value `check` accepts or throws an error `allowed` accepts, each call fast.
 */
export function assertParser<I, T>(
  inputs: fc.Arbitrary<I>,
  parse: (input: I) => T,
  allowed: (error: unknown) => boolean,
  check: (returned: T, input: I) => void = () => undefined,
  numRuns = 300,
): void {
  assertProperty(
    fc.property(inputs, (input) => {
      const outcome = callParser(() => parse(input), allowed);
      if ('returned' in outcome) check(outcome.returned, input);
    }),
    numRuns,
  );
}

/** The plugin's own error, naming one of `files` at the start of its message. */
export function isWorkspaceFileErrorOf(...files: string[]): (error: unknown) => boolean {
  return (error) => error instanceof WorkspaceFileError && files.includes(error.file) && error.message.startsWith(`${error.file}:`);
}

/** Nothing may be thrown. */
export const nothingThrown = (): boolean => false;

/**
 * Text made of a format's own tokens, whitespace and line breaks, and a few arbitrary characters:
 * closer to the inputs that break a parser than random characters alone.
 */
export function textOf(tokens: readonly string[], maxPieces = 60): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...tokens) },
    { weight: 3, arbitrary: fc.constantFrom(' ', '\t', '\n', '\r\n', '\n\n', '\r') },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
  );
  return fc.array(piece, { maxLength: maxPieces }).map((pieces) => pieces.join(''));
}

/** Any text: printable ASCII, any code point, or the format's tokens (`textOf`). */
export function anyText(tokens: readonly string[], maxPieces = 60): fc.Arbitrary<string> {
  return fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), textOf(tokens, maxPieces));
}

/**
 * Large text from the same tokens (a pattern of them repeated, up to `maxLength` characters): a
 * parser that is quadratic, or worse, in some construct shows it here as a slow call.
 */
export function largeTextOf(tokens: readonly string[], maxLength = 40_000): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(fc.constantFrom(...tokens, ' ', '\n'), { minLength: 1, maxLength: 8 }), fc.integer({ min: 500, max: 4000 }))
    .map(([pattern, times]) => pattern.join('').repeat(times).slice(0, maxLength));
}

/** Names that look up an inherited property of a plain object: a parser that indexes a table with user text must not find them. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

/** A JSON value of any shape: the wrong type for a field a parser reads. */
export const anyJson = (): fc.Arbitrary<unknown> => fc.jsonValue({ maxDepth: 2 });
