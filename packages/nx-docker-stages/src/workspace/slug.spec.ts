import { slugify } from './slug';

describe('slugs', () => {
  it('keeps lower-case letters and digits and joins the rest with single dashes', () => {
    expect(slugify('@shop/Web API')).toBe('shop-web-api');
    expect(slugify('cmd/api_v2')).toBe('cmd-api-v2');
  });

  it('names the root when nothing is left', () => {
    expect(slugify('@/')).toBe('root');
  });
});
