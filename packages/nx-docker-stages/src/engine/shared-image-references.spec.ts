import { imageReferences } from './build-argv';
import { ImageBuildOf, sharedImageReferences as sharedOf } from './shared-image-references';

const sharedImageReferences = (own: ImageBuildOf, others: ImageBuildOf[]) => sharedOf(own.project, imageReferences(own.project, own.options), others);

describe('sharedImageReferences', () => {
  it('finds projects whose default image names meet (case, a leading @), and tags in common', () => {
    const others = [
      { project: 'API', options: { target: 'x' } },
      { project: '@shop/web', options: { target: 'x' } },
      { project: 'worker', options: { target: 'x', imageName: 'api', tags: ['1.0', 'latest'] } },
      { project: 'other', options: { target: 'x', imageName: 'api', registry: 'r.example.com' } },
      { project: 'bad', options: { target: 'x', imageName: 'Not Valid' } },
    ];
    expect(sharedImageReferences({ project: 'api', options: { target: 'api' } }, others)).toEqual([
      { ref: 'api:latest', project: 'API' },
      { ref: 'api:latest', project: 'worker' },
    ]);
    expect(sharedImageReferences({ project: 'shop/web', options: { target: 'w' } }, others)).toEqual([{ ref: 'shop/web:latest', project: '@shop/web' }]);
  });

  it('finds none when an option separates them', () => {
    expect(sharedImageReferences({ project: 'api', options: { target: 'api', tags: ['2.0'] } }, [{ project: 'API', options: { target: 'x' } }])).toEqual([]);
  });
});
