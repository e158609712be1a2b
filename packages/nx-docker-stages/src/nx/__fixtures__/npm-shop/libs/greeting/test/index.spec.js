test('greets', () => {});
