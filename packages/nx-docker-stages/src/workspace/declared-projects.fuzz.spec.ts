import fc from 'fast-check';
import { anyJson, anyText, assertParser, nothingThrown, PROTOTYPE_NAMES } from './test-fuzz';
import { declaredProjects } from './declared-projects';

const manifestText = fc.oneof(
  fc.record({ name: fc.oneof(fc.constantFrom('api', '@shop/web', '', ...PROTOTYPE_NAMES), anyJson()), nx: fc.oneof(fc.record({ name: fc.oneof(fc.constant('api'), anyJson()) }, { requiredKeys: [] }), anyJson()) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  anyJson().map((v) => JSON.stringify(v)),
  anyText(['{', '}', '"name"', ':', '"api"', 'null', '[', ']']),
);
const files = fc.dictionary(
  fc.tuple(fc.constantFrom('.', 'apps/api', 'libs/a', 'node_modules/x', 'a b'), fc.constantFrom('package.json', 'project.json')).map(([dir, file]) => (dir === '.' ? file : `${dir}/${file}`)),
  manifestText,
  { maxKeys: 5 },
);

describe('declaredProjects of any project.json and package.json files', () => {
  it('gives each declaring folder with a string name or none, and never throws', () => {
    assertParser(files, (texts) => declaredProjects(Object.keys(texts), (file) => texts[file]), nothingThrown, (projects) => {
      for (const project of projects) {
        expect(project.root).not.toBe('.');
        expect(project.name === undefined || typeof project.name === 'string').toBe(true);
      }
    });
  });
});
