import fc from 'fast-check';
import { anyText, assertParser, assertProperty, largeTextOf, nothingThrown, PROTOTYPE_NAMES } from '../workspace/test-fuzz';
import { BuildContext, evaluateGoBuildExpression, evaluatePlusBuildLines, fileNameMatches, IMAGE_BUILD_CONTEXTS, NEWEST_GO_MINOR } from './build-constraints';

const TAGS = ['linux', 'windows', 'darwin', 'unix', 'amd64', 'arm64', '386', 'cgo', 'gc', 'gccgo', 'go1.21', 'go1.99', 'ignore', 'integration', 'js', 'wasm', ...PROTOTYPE_NAMES];
const EXPRESSION_TOKENS = [...TAGS, '&&', '||', '!', '(', ')', '&', '|', ' ', ',', '$', 'ñ', '.', '_'];

/** The one error a malformed expression gives: the caller (go-workspace.ts) names the file with it. */
const isMalformedConstraint = (error: unknown) =>
  error instanceof Error && error.constructor === Error && error.message.startsWith('malformed build constraint: //go:build ');

const isBoolean = (answer: boolean) => expect(typeof answer).toBe('boolean');

const contexts: BuildContext[] = [...IMAGE_BUILD_CONTEXTS, { goos: 'windows', goarch: '386', cgo: true, tags: ['integration'] }];

/** A well-formed expression and its value on a context, built together. */
const expressionWithValue = (ctx: BuildContext): fc.Arbitrary<[string, boolean]> => {
  const holds = (tag: string) => tag === ctx.goos || tag === ctx.goarch || (tag === 'unix' && ctx.goos !== 'windows') || (tag === 'cgo' && ctx.cgo) || tag === 'gc' || (/^go1\.[1-9]\d*$/.test(tag) && Number(tag.slice(4)) <= NEWEST_GO_MINOR) || ctx.tags.includes(tag);
  const { expr } = fc.letrec<{ expr: [string, boolean] }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...TAGS).map((tag): [string, boolean] => [tag, holds(tag)]),
      tie('expr').map(([text, value]): [string, boolean] => [`!(${text})`, !value]),
      tie('expr').map(([text, value]): [string, boolean] => [`(${text})`, value]),
      fc.tuple(tie('expr'), tie('expr')).map(([[a, x], [b, y]]): [string, boolean] => [`(${a}) && (${b})`, x && y]),
      fc.tuple(tie('expr'), tie('expr')).map(([[a, x], [b, y]]): [string, boolean] => [`(${a}) || (${b})`, x || y]),
    ),
  }));
  return expr;
};

describe('evaluateGoBuildExpression on any text', () => {
  it('answers true or false, or says the constraint is malformed', () => {
    assertParser(fc.tuple(anyText(EXPRESSION_TOKENS), fc.constantFrom(...contexts)), ([text, ctx]) => evaluateGoBuildExpression(text, ctx), isMalformedConstraint, isBoolean);
  });

  it('evaluates a well-formed expression as Go does', () => {
    for (const ctx of contexts) {
      assertProperty(fc.property(expressionWithValue(ctx), ([text, value]) => expect(evaluateGoBuildExpression(text, ctx)).toBe(value)), 100);
    }
  });

  it('says a deeply nested or very long expression is malformed, as Go does, instead of overflowing the stack', () => {
    const nested = fc.tuple(fc.constantFrom('(', '!', '!(', '(!'), fc.integer({ min: 1000, max: 20_000 })).map(([open, depth]) => `${open.repeat(depth)}linux`);
    assertParser(fc.oneof(nested, largeTextOf(EXPRESSION_TOKENS)), (text) => evaluateGoBuildExpression(text), isMalformedConstraint, isBoolean, 30);
  });
});

describe('evaluatePlusBuildLines on any lines', () => {
  it('answers true or false and never throws', () => {
    const lines = fc.array(anyText(EXPRESSION_TOKENS, 20), { maxLength: 4 });
    assertParser(fc.tuple(lines, fc.constantFrom(...contexts)), ([plusBuild, ctx]) => evaluatePlusBuildLines(plusBuild, ctx), nothingThrown, isBoolean);
  });
});

describe('fileNameMatches on any file name', () => {
  it('answers true or false and never throws', () => {
    const name = fc.oneof(fc.string({ maxLength: 60 }), fc.array(fc.constantFrom(...TAGS, '_', '/', '.go', '_test', 'main'), { maxLength: 8 }).map((p) => p.join('')));
    assertParser(fc.tuple(name, fc.constantFrom(...contexts)), ([fileName, ctx]) => fileNameMatches(fileName, ctx), nothingThrown, isBoolean);
  });
});
