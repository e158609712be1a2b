import { ownString, ownValue, setOwn } from './own-property';

describe('own-property lookups of user-named keys', () => {
  it('finds own entries only: a name like an inherited property is not in an empty record', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(ownValue({}, name)).toBeUndefined();
      expect(ownString({}, name)).toBeUndefined();
    }
    expect(ownValue({ a: 1 }, 'a')).toBe(1);
    expect(ownValue(undefined, 'a')).toBeUndefined();
    expect(ownValue('text', 'length')).toBeUndefined();
  });

  it('reads an own entry named __proto__ from parsed JSON, and only a string from ownString', () => {
    const parsed = JSON.parse('{"__proto__": "^1.0.0", "constructor": "2.0.0", "n": 3}') as Record<string, string>;
    expect(ownString(parsed, '__proto__')).toBe('^1.0.0');
    expect(ownString(parsed, 'constructor')).toBe('2.0.0');
    expect(ownString(parsed, 'n')).toBeUndefined();
  });

  it('writes an own, enumerable entry, __proto__ included, without touching the prototype', () => {
    const record: Record<string, string> = {};
    setOwn(record, '__proto__', '1.0.0');
    setOwn(record, 'constructor', '2.0.0');
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.entries(record)).toEqual([
      ['__proto__', '1.0.0'],
      ['constructor', '2.0.0'],
    ]);
    expect(JSON.parse(JSON.stringify(record))).toEqual(JSON.parse('{"__proto__":"1.0.0","constructor":"2.0.0"}'));
  });
});
